import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { AuditLog } from '../audit/audit-log';
import type { Caller, ConfirmationRequest } from '../governance.types';
import { JUSTIFICATION, openRegistryHarness, type RegistryHarness, sha, type TestUsers } from './registry-integration.fixture';

// Undo and the agent's confirmations against a real PostgreSQL and the real bubblewrap sandbox:
// write_file rolls back to the exact bytes once; an agent's SENSITIVE action waits for the chatting
// user's confirmation and refuses every other answer.

describe('ToolRegistry rollback and confirmations on PostgreSQL with the bubblewrap sandbox', () => {
  let harness: RegistryHarness;
  let dataSource: DataSource;
  let workspace: string;
  let audit: AuditLog;
  let users: TestUsers;
  let build: RegistryHarness['build'];
  let auditSince: RegistryHarness['auditSince'];
  let lastAuditId: RegistryHarness['lastAuditId'];

  beforeAll(async () => {
    harness = await openRegistryHarness();
    ({ dataSource, workspace, audit, users, build, auditSince, lastAuditId } = harness);
  });

  afterAll(() => harness.close());

  it('rolls write_file back to the exact previous content, or deletes the file it created, once', async () => {
    const { registry } = build();
    const previous = 'line one\r\nline two — ünïcode\n\nno newline at the end';
    writeFileSync(join(workspace, 'config.txt'), previous);
    const written = await registry.execute('write_file', { path: 'config.txt', content: 'replaced' }, users.admin, JUSTIFICATION);
    if (written.kind !== 'executed') throw new Error('expected an executed action');
    expect(written.result).toMatchObject({
      status: 'completed',
      verification: { verified: true },
      rollback: { available: true, kind: 'restore_file' },
    });
    expect(readFileSync(join(workspace, 'config.txt'), 'utf8')).toBe('replaced');

    await expect(registry.rollback(written.actionId, users.operator)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(registry.rollback(written.actionId, users.admin, 'the change broke the service')).resolves.toMatchObject({
      status: 'rolled_back',
      kind: 'restore_file',
    });
    expect(readFileSync(join(workspace, 'config.txt'), 'utf8')).toBe(previous);
    expect(sha(readFileSync(join(workspace, 'config.txt'), 'utf8'))).toBe(sha(previous));
    await expect(registry.rollback(written.actionId, users.admin)).rejects.toMatchObject({ code: 'ROLLBACK_UNAVAILABLE' });

    const created = await registry.execute('write_file', { path: 'fresh.txt', content: 'new file' }, users.admin, JUSTIFICATION);
    if (created.kind !== 'executed') throw new Error('expected an executed action');
    expect(created.result.rollback).toEqual({ available: true, kind: 'restore_file', reason: "undo deletes the created file 'fresh.txt'" });
    await registry.rollback(created.actionId, users.admin);
    expect(existsSync(join(workspace, 'fresh.txt'))).toBe(false);

    const read = await registry.execute('read_file', { path: 'config.txt' }, users.viewer);
    if (read.kind !== 'executed') throw new Error('expected an executed action');
    expect(read.result.rollback).toEqual({ available: false, reason: 'nothing to undo: this action changes nothing' });
    await expect(registry.rollback(read.actionId, users.admin)).rejects.toMatchObject({
      code: 'ROLLBACK_UNAVAILABLE',
      message: `Action ${read.actionId} (read_file) cannot be undone: nothing to undo: this action changes nothing`,
    });
    const rows = await dataSource.query<{ decision: string }[]>(
      `SELECT decision FROM audit_entries WHERE action = 'action.rollback' ORDER BY id`,
    );
    // Each undo is audited when it starts and when it ends.
    expect(rows.map((row) => row.decision)).toEqual(['refused', 'allowed', 'allowed', 'refused', 'allowed', 'allowed', 'refused']);
  });

  it("waits for the chatting user's confirmation before the agent performs a SENSITIVE action, and refuses anything else", async () => {
    const { registry } = build();
    const agent = (confirm?: Caller['confirm']): Caller => ({ ...users.admin, runId: randomUUID(), confirm });
    const args = { path: 'agent.txt', content: 'SECRET=from-the-model' };
    const asked: ConfirmationRequest[] = [];

    // No way to ask: fail closed.
    await expect(registry.execute('write_file', args, agent(), JUSTIFICATION)).rejects.toMatchObject({ code: 'CONFIRMATION_DECLINED' });
    for (const decision of ['declined', 'expired', 'cancelled'] as const) {
      const before = await lastAuditId();
      await expect(
        registry.execute(
          'write_file',
          args,
          agent((request) => (asked.push(request), Promise.resolve(decision))),
          JUSTIFICATION,
        ),
      ).rejects.toMatchObject({ code: 'CONFIRMATION_DECLINED', message: expect.stringContaining(decision) as unknown });
      expect((await auditSince(before)).map((row) => [row.action, row.decision])).toEqual([['tool.write_file', 'refused']]);
    }
    await expect(
      registry.execute(
        'write_file',
        args,
        agent(() => Promise.reject(new Error('socket gone'))),
        JUSTIFICATION,
      ),
    ).rejects.toMatchObject({
      code: 'CONFIRMATION_DECLINED',
    });
    expect(existsSync(join(workspace, 'agent.txt'))).toBe(false);
    expect(asked[0]).toMatchObject({
      tool: 'write_file',
      actionClass: 'SENSITIVE',
      args: { path: 'agent.txt', content: { sha256: sha(args.content), bytes: Buffer.byteLength(args.content) } },
      justification: JUSTIFICATION,
    });
    expect(asked[0].confirmationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(asked[0].expiresAt.getTime() - Date.now()).toBeGreaterThan(250_000);

    // No justification: refused before anyone is asked.
    const unasked = jest.fn(() => Promise.resolve('confirmed' as const));
    await expect(registry.execute('write_file', args, agent(unasked))).rejects.toMatchObject({ code: 'JUSTIFICATION_REQUIRED' });
    expect(unasked).not.toHaveBeenCalled();

    const before = await lastAuditId();
    const confirmed = await registry.execute(
      'write_file',
      args,
      agent(() => Promise.resolve('confirmed')),
      JUSTIFICATION,
    );
    expect(confirmed).toMatchObject({ kind: 'executed', result: { status: 'completed' } });
    expect(readFileSync(join(workspace, 'agent.txt'), 'utf8')).toBe(args.content);
    const [, outcome] = await auditSince(before);
    expect(outcome.reason).toMatch(new RegExp(`^${JUSTIFICATION} \\(confirmed in the chat by admin-user, confirmation [0-9a-f-]{36}\\)$`));

    // HTTP and API callers (no run) and the agent's lower classes are not asked.
    const never = jest.fn(() => Promise.resolve('declined' as const));
    await expect(registry.execute('write_file', args, { ...users.admin, confirm: never }, JUSTIFICATION)).resolves.toMatchObject({
      kind: 'executed',
    });
    await expect(registry.execute('read_file', { path: 'agent.txt' }, agent(never))).resolves.toMatchObject({ kind: 'executed' });
    expect(never).not.toHaveBeenCalled();
  });

  it('keeps the audit chain intact through all of this', async () => {
    await expect(audit.verify()).resolves.toMatchObject({ valid: true, firstBrokenId: null });
  });
});
