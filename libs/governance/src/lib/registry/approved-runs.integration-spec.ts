import { randomUUID } from 'node:crypto';
import { ActionClass, type ApprovalDecidedEvent, type ApprovalRequiredEvent, Role } from '@aegis/contracts';
import { ApiKeyEntity, UserEntity } from '@aegis/database';
import type { DataSource } from 'typeorm';
import type { ApprovalRepository } from '../approvals/approval.repository';
import type { AuditLog } from '../audit/audit-log';
import type { Caller } from '../governance.types';
import { countingTool, JUSTIFICATION, openRegistryHarness, type RegistryHarness, type TestUsers } from './registry-integration.fixture';

// Approvals against a real PostgreSQL and the real bubblewrap sandbox: an approved request runs once,
// with the stored arguments, never after rejection, expiry or tampering, never for a requester who
// lost the right since; four eyes; the agent's tool call named in the request and the events.

describe('ToolRegistry approvals on PostgreSQL with the bubblewrap sandbox', () => {
  let harness: RegistryHarness;
  let dataSource: DataSource;
  let audit: AuditLog;
  let approvals: ApprovalRepository;
  let users: TestUsers;
  let build: RegistryHarness['build'];
  let auditSince: RegistryHarness['auditSince'];
  let lastAuditId: RegistryHarness['lastAuditId'];

  beforeAll(async () => {
    harness = await openRegistryHarness();
    ({ dataSource, audit, approvals, users, build, auditSince, lastAuditId } = harness);
  });

  afterAll(() => harness.close());

  it('runs an approved action exactly once, with exactly the stored arguments, even when two admins approve at once', async () => {
    const calls: unknown[] = [];
    const { registry, service, events } = build({ tools: [countingTool(calls)] });
    const required: ApprovalRequiredEvent[] = [];
    const decided: ApprovalDecidedEvent[] = [];
    events.on('approval:required', (event) => required.push(event));
    events.on('approval:decided', (event) => decided.push(event));

    const pending = await registry.execute('counted_change', { count: 3, target: 'db' }, users.operator, JUSTIFICATION);
    if (pending.kind !== 'pending') throw new Error('expected a pending approval');
    expect(calls).toEqual([]);
    expect(required).toEqual([
      expect.objectContaining({ approvalId: pending.approvalId, tool: 'counted_change', justification: JUSTIFICATION }),
    ]);

    const results = await Promise.allSettled([
      service.approve(pending.approvalId, users.admin, 'looks right'),
      service.approve(pending.approvalId, users.otherAdmin, 'fine by me'),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'APPROVAL_NOT_PENDING' } });
    expect(calls).toEqual([{ target: 'db', count: 3 }]);
    expect(decided).toEqual([expect.objectContaining({ approvalId: pending.approvalId, status: 'approved', actionStatus: 'completed' })]);

    const [view] = (await service.page(['executed'], undefined, 10)).items.filter((item) => item.id === pending.approvalId);
    expect(view).toMatchObject({
      status: 'executed',
      requestedBy: { userId: users.operator.userId, role: Role.Operator },
      actionId: expect.any(String) as unknown,
      actionStatus: 'completed',
    });
    await expect(service.approve(pending.approvalId, users.admin, 'again')).rejects.toMatchObject({ code: 'APPROVAL_NOT_PENDING' });
    expect(calls).toHaveLength(1);
  });

  it('never runs a rejected, expired or tampered request', async () => {
    const calls: unknown[] = [];
    const { registry, service, events } = build({ tools: [countingTool(calls)] });
    const decided: ApprovalDecidedEvent[] = [];
    events.on('approval:decided', (event) => decided.push(event));
    const request = async () => {
      const outcome = await registry.execute('counted_change', { target: 'x', count: 1 }, users.operator, JUSTIFICATION);
      if (outcome.kind !== 'pending') throw new Error('expected a pending approval');
      return outcome.approvalId;
    };

    const rejected = await request();
    await expect(service.reject(rejected, users.admin, 'not today')).resolves.toMatchObject({ status: 'rejected', comment: 'not today' });
    await expect(service.approve(rejected, users.admin, 'changed my mind')).rejects.toMatchObject({ code: 'APPROVAL_NOT_PENDING' });

    const expired = await request();
    await dataSource.query(`UPDATE approval_requests SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired]);
    await expect(service.approve(expired, users.admin, 'too late')).rejects.toMatchObject({ code: 'APPROVAL_EXPIRED' });
    expect((await approvals.findById(expired))?.status).toBe('expired');

    const tampered = await request();
    await dataSource.query(`UPDATE approval_requests SET args = '{"target": "prod", "count": 1}'::jsonb WHERE id = $1`, [tampered]);
    await expect(service.approve(tampered, users.admin, 'ok')).rejects.toMatchObject({ code: 'ARGUMENTS_CHANGED' });
    expect((await approvals.findById(tampered))?.status).toBe('failed');

    expect(calls).toEqual([]);
    expect(decided.map((event) => [event.approvalId, event.status])).toEqual([
      [rejected, 'rejected'],
      [expired, 'expired'],
      [tampered, 'approved'],
    ]);
  });

  it('with four eyes, nobody decides their own request', async () => {
    const calls: unknown[] = [];
    const { registry, service } = build({ tools: [countingTool(calls)] }, { fourEyes: true });
    const outcome = await registry.execute('counted_change', { target: 'y', count: 2 }, users.admin, JUSTIFICATION);
    if (outcome.kind !== 'pending') throw new Error('expected a pending approval');
    const before = await lastAuditId();
    await expect(service.approve(outcome.approvalId, users.admin, 'mine')).rejects.toMatchObject({ code: 'SELF_APPROVAL_FORBIDDEN' });
    await expect(service.reject(outcome.approvalId, users.admin, 'mine')).rejects.toMatchObject({ code: 'SELF_APPROVAL_FORBIDDEN' });
    expect((await auditSince(before)).map((row) => [row.action, row.decision])).toEqual([
      ['approval.approve', 'refused'],
      ['approval.reject', 'refused'],
    ]);
    await expect(service.approve(outcome.approvalId, users.otherAdmin, 'second pair of eyes')).resolves.toMatchObject({
      result: { status: 'completed' },
    });
    expect(calls).toEqual([{ target: 'y', count: 2 }]);
  });

  it('refuses at run time an approved request whose requester was disabled or demoted since', async () => {
    const calls: unknown[] = [];
    const { registry, service, events } = build({ tools: [countingTool(calls)] });
    const decided: ApprovalDecidedEvent[] = [];
    events.on('approval:decided', (event) => decided.push(event));
    const repository = dataSource.getRepository(UserEntity);
    const requester = await repository.save({ username: `requester-${randomUUID().slice(0, 8)}`, passwordHash: 'x', role: Role.Operator });
    const caller: Caller = {
      actor: { type: 'user', id: requester.id, name: requester.username },
      userId: requester.id,
      role: Role.Operator,
    };

    const demoted = await registry.execute('counted_change', { target: 'demoted', count: 1 }, caller, JUSTIFICATION);
    const disabled = await registry.execute('counted_change', { target: 'disabled', count: 1 }, caller, JUSTIFICATION);
    if (demoted.kind !== 'pending' || disabled.kind !== 'pending') throw new Error('expected pending requests');
    await repository.update({ id: requester.id }, { role: Role.Viewer });
    await expect(service.approve(demoted.approvalId, users.admin, 'fine')).rejects.toMatchObject({
      code: 'REQUESTER_NOT_ALLOWED',
      message: expect.stringMatching(/needs the operator role and requester-\w+ now has the viewer role; nothing ran$/) as unknown,
    });
    await repository.update({ id: requester.id }, { role: Role.Operator, disabled: true });
    await expect(service.approve(disabled.approvalId, users.admin, 'fine')).rejects.toMatchObject({
      code: 'REQUESTER_NOT_ALLOWED',
      message: expect.stringMatching(/has been disabled; nothing ran$/) as unknown,
    });
    // A request made with an API key that has expired since.
    const owner = await repository.save({ username: `key-owner-${randomUUID().slice(0, 8)}`, passwordHash: 'x', role: Role.Operator });
    const key = await dataSource.getRepository(ApiKeyEntity).save({
      userId: owner.id,
      name: 'ci',
      prefix: 'aegis_test',
      keyHash: 'f'.repeat(64),
      role: Role.Operator,
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
    });
    const viaKey: Caller = { actor: { type: 'api_key', id: key.id, name: owner.username }, userId: owner.id, role: Role.Operator };
    const expired = await registry.execute('counted_change', { target: 'expired-key', count: 1 }, viaKey, JUSTIFICATION);
    if (expired.kind !== 'pending') throw new Error('expected a pending request');
    await dataSource.getRepository(ApiKeyEntity).update({ id: key.id }, { expiresAt: new Date(Date.now() - 1000) });
    await expect(service.approve(expired.approvalId, users.admin, 'fine')).rejects.toMatchObject({
      code: 'REQUESTER_NOT_ALLOWED',
      message: expect.stringMatching(/the API key ci that made the request expired at .*; nothing ran$/) as unknown,
    });

    expect(calls).toEqual([]);
    expect((await approvals.findById(demoted.approvalId))?.status).toBe('failed');
    expect(decided.map((event) => [event.approvalId, event.actionStatus])).toEqual([
      [demoted.approvalId, 'failed'],
      [disabled.approvalId, 'failed'],
      [expired.approvalId, 'failed'],
    ]);
  });

  it("names the agent's tool call in the stored request and in approval:required and approval:decided (approved, rejected, expired)", async () => {
    const calls: unknown[] = [];
    const { registry, service, events } = build({ tools: [countingTool(calls)] });
    const required: ApprovalRequiredEvent[] = [];
    const decided: ApprovalDecidedEvent[] = [];
    events.on('approval:required', (event) => required.push(event));
    events.on('approval:decided', (event) => decided.push(event));
    const runId = randomUUID();
    const request = async (toolCallId: string) => {
      const outcome = await registry.execute(
        'counted_change',
        { target: toolCallId, count: 1 },
        { ...users.operator, runId, toolCallId },
        JUSTIFICATION,
      );
      if (outcome.kind !== 'pending') throw new Error('expected a pending approval');
      expect(outcome.actionClass).toBe(ActionClass.Critical);
      return outcome.approvalId;
    };

    const approved = await request('call_approved');
    const executed = await service.approve(approved, users.admin, 'looks right');
    expect(executed).toMatchObject({ kind: 'executed', actionClass: ActionClass.Critical });
    const rejected = await request('call_rejected');
    await service.reject(rejected, users.admin, 'not today');
    const expired = await request('call_expired');
    await dataSource.query(`UPDATE approval_requests SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired]);
    await service.expireDue();
    const overHttp = await registry.execute('counted_change', { target: 'http', count: 1 }, users.operator, JUSTIFICATION);

    expect((await approvals.findById(approved))?.toolCallId).toBe('call_approved');
    expect(required.map((event) => [event.approvalId, event.toolCallId])).toEqual([
      [approved, 'call_approved'],
      [rejected, 'call_rejected'],
      [expired, 'call_expired'],
      [overHttp.kind === 'pending' ? overHttp.approvalId : 'not pending', null],
    ]);
    expect(decided.map((event) => [event.approvalId, event.status, event.toolCallId])).toEqual([
      [approved, 'approved', 'call_approved'],
      [rejected, 'rejected', 'call_rejected'],
      [expired, 'expired', 'call_expired'],
    ]);
  });

  it('keeps the audit chain intact through all of this', async () => {
    await expect(audit.verify()).resolves.toMatchObject({ valid: true, firstBrokenId: null });
  });
});
