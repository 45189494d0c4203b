import { approvalDecidedEvent } from './approval-decided';

describe('approvalDecidedEvent', () => {
  const request = { id: 'ap1', tool: 'apt_install', requestedByUserId: 'u1', runId: 'run1', toolCallId: 'call1' };

  it('names the request, its requester, run and tool call, and leaves the action empty when none ran', () => {
    expect(approvalDecidedEvent(request, { status: 'expired', decidedBy: null, comment: null })).toEqual({
      approvalId: 'ap1',
      tool: 'apt_install',
      status: 'expired',
      decidedBy: null,
      comment: null,
      actionId: null,
      actionStatus: null,
      requestedByUserId: 'u1',
      runId: 'run1',
      toolCallId: 'call1',
    });
  });

  it('carries the action an approval ran and how it ended', () => {
    const ending = {
      status: 'approved' as const,
      decidedBy: { id: 'a1', name: 'ada' },
      comment: 'ok',
      actionId: 'act1',
      actionStatus: 'completed' as const,
    };
    expect(approvalDecidedEvent(request, ending)).toMatchObject({
      status: 'approved',
      decidedBy: { id: 'a1', name: 'ada' },
      comment: 'ok',
      actionId: 'act1',
      actionStatus: 'completed',
    });
  });
});
