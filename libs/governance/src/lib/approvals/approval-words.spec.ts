import type { ApprovalStatus } from '@aegis/contracts';
import type { ApprovalRequestEntity } from '@aegis/database';
import { alreadyDecided, originOf } from './approval.service';

const request = (status: ApprovalStatus, overrides: Partial<ApprovalRequestEntity> = {}): ApprovalRequestEntity =>
  ({
    id: '5b0c4a43-6f0e-4a55-9c36-1f1b2d3e4f50',
    status,
    decidedByName: 'ada',
    decidedAt: new Date('2026-11-29T10:00:00.000Z'),
    decisionComment: 'not during the freeze',
    expiresAt: new Date('2026-11-29T11:00:00.000Z'),
    runId: null,
    requestedByType: 'user',
    ...overrides,
  }) as ApprovalRequestEntity;

describe('approval requests in words', () => {
  it.each<[ApprovalStatus, string]>([
    ['approved', 'Already approved by ada at 2026-11-29T10:00:00.000Z; the action is running'],
    ['executing', 'Already approved by ada at 2026-11-29T10:00:00.000Z; the action is running'],
    ['executed', 'Already approved by ada at 2026-11-29T10:00:00.000Z; the action has run'],
    ['failed', 'Already approved by ada at 2026-11-29T10:00:00.000Z; the action did not complete'],
    ['rejected', 'Already rejected by ada at 2026-11-29T10:00:00.000Z: not during the freeze'],
    ['expired', 'This request expired at 2026-11-29T11:00:00.000Z without a decision; it can no longer run'],
  ])('a request already %s says who decided and when', (status, message) => {
    expect(alreadyDecided(request(status))).toBe(message);
  });

  it('names where a request came from', () => {
    expect(originOf(request('pending', { runId: '0f6d1c9e-2b7a-4c1e-9d3f-5a6b7c8d9e0f' }))).toBe('chat');
    expect(originOf(request('pending', { requestedByType: 'api_key' }))).toBe('api_key');
    expect(originOf(request('pending'))).toBe('http');
  });
});
