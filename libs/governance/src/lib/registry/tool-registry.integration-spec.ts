import { createHash, randomUUID } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionClass, type ApprovalDecidedEvent, type ApprovalRequiredEvent, Role, ROLES, roleAtLeast } from '@aegis/contracts';
import { ApiKeyEntity, createDataSourceOptions, UserEntity } from '@aegis/database';
import { CAPABILITY_TOOLS, type CapabilityTool, SANDBOX_UID, SecureExecutor } from '@aegis/sandbox-executor';
import { createTestDatabase, testConfig } from '@aegis/testing';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { RollbackVault } from '../actions/rollback-vault';
import { ToolActionRepository } from '../actions/tool-action.repository';
import { ApprovalRepository } from '../approvals/approval.repository';
import { RequesterDirectory } from '../approvals/requester-directory';
import { RequesterRepository } from '../approvals/requester.repository';
import { ApprovalService } from '../approvals/approval.service';
import { AuditLog } from '../audit/audit-log';
import { AuditRepository } from '../audit/audit.repository';
import { GovernanceEvents } from '../events/governance-events';
import type { Caller, ConfirmationRequest, GovernanceSettings } from '../governance.types';
import { decide } from '../policy/policy';
import { ToolRegistry, type ToolRegistryOptions } from './tool-registry';

// The registry against a real PostgreSQL and the real bubblewrap sandbox: every tool goes through
// policy and the audit chain; verification decides completion; approvals run once, with the stored
// arguments, never after rejection, expiry or tampering; rollback restores exactly.

const JUSTIFICATION = 'Needed for the integration test of governance';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

interface AuditRow {
  id: string;
  action: string;
  role: string | null;
  action_class: string | null;
  decision: string;
  reason: string | null;
  result: Record<string, unknown> | null;
}

/** A CRITICAL tool that only records what it was asked to do, to count runs and compare arguments. */
function countingTool(calls: unknown[]): CapabilityTool {
  const schema = z.strictObject({ target: z.string(), count: z.number().int() });
  const tool: CapabilityTool<typeof schema> = {
    name: 'counted_change',
    description: 'test: records its arguments',
    actionClass: ActionClass.Critical,
    minRole: Role.Operator,
    argsSchema: schema,
    run(args) {
      calls.push(args);
      return Promise.resolve({ output: { done: args.target }, verification: { verified: true, detail: 'recorded' } });
    },
  };
  return tool;
}

function moderateTool(name: string, verification: { verified: boolean; detail: string } | undefined): CapabilityTool {
  const schema = z.strictObject({});
  const tool: CapabilityTool<typeof schema> = {
    name,
    description: 'test: a MODERATE change',
    actionClass: ActionClass.Moderate,
    minRole: Role.Operator,
    argsSchema: schema,
    run: () => Promise.resolve({ output: { changed: true }, verification }),
  };
  return tool;
}

describe('ToolRegistry on PostgreSQL with the bubblewrap sandbox', () => {
  let dataSource: DataSource;
  let executor: SecureExecutor;
  let workspace: string;
  let audit: AuditLog;
  let actions: ToolActionRepository;
  let approvals: ApprovalRepository;
  const users: Record<'viewer' | 'operator' | 'admin' | 'otherAdmin', Caller> = {} as Record<'viewer' | 'operator' | 'admin' | 'otherAdmin', Caller>;
  const settings: GovernanceSettings = { verifyRequired: true, fourEyes: false, approvalTtlSeconds: 3600 };

  function build(overrides: Partial<ToolRegistryOptions> = {}, with_: Partial<GovernanceSettings> = {}) {
    const events = new GovernanceEvents();
    const options: ToolRegistryOptions = {
      workspaceDir: workspace,
      runner: executor,
      containerAllowlist: ['web'],
      systemdUnitAllowlist: ['nginx.service'],
      aptEnabled: false,
      ...overrides,
    };
    const effective = { ...settings, ...with_ };
    const registry = new ToolRegistry(options, effective, audit, actions, approvals, events, new RequesterDirectory(new RequesterRepository(dataSource)), new RollbackVault('a-test-jwt-secret-of-thirty-two-bytes!!'));
    const service = new ApprovalService(approvals, registry, audit, events, effective);
    return { registry, service, events };
  }

  async function auditSince(id: string): Promise<AuditRow[]> {
    return dataSource.query<AuditRow[]>('SELECT id, action, role, action_class, decision, reason, result FROM audit_entries WHERE id > $1 ORDER BY id', [id]);
  }

  async function lastAuditId(): Promise<string> {
    const [row] = await dataSource.query<{ id: string | null }[]>('SELECT max(id)::text AS id FROM audit_entries');
    return row?.id ?? '0';
  }

  beforeAll(async () => {
    dataSource = await new DataSource(createDataSourceOptions({ url: await createTestDatabase(), embedded: false })).initialize();
    const config = testConfig();
    workspace = config.workspaceDir;
    mkdirSync(workspace, { recursive: true });
    if (process.getuid?.() === 0) chownSync(workspace, SANDBOX_UID, SANDBOX_UID);
    executor = new SecureExecutor(config);
    audit = new AuditLog(new AuditRepository(dataSource));
    actions = new ToolActionRepository(dataSource);
    approvals = new ApprovalRepository(dataSource);
    const repository = dataSource.getRepository(UserEntity);
    for (const [key, role] of [
      ['viewer', Role.Viewer],
      ['operator', Role.Operator],
      ['admin', Role.Admin],
      ['otherAdmin', Role.Admin],
    ] as const) {
      const user = await repository.save({ username: `${key}-user`, passwordHash: 'x', role });
      users[key] = { actor: { type: 'user', id: user.id, name: user.username }, userId: user.id, role };
    }
  });

  afterAll(async () => {
    await executor.close();
    await dataSource.destroy();
  });

  it('registers every capability tool, and every call of every tool by every role leaves an audit entry with the policy decision', async () => {
    const { registry } = build();
    expect(registry.list().map((tool) => tool.name)).toEqual(CAPABILITY_TOOLS.map((tool) => tool.name));
    writeFileSync(join(workspace, 'notes.txt'), 'hello\n');
    const minimalArgs: Record<string, Record<string, unknown>> = {
      read_file: { path: 'notes.txt' },
      search_files: { pattern: 'hello' },
      git_status: { repo: 'missing' },
      git_log: { repo: 'missing' },
      git_diff: { repo: 'missing' },
      git_pull: { repo: 'missing' },
      docker_logs: { container: 'web' },
      docker_restart: { container: 'web' },
      systemd_status: { unit: 'nginx.service' },
      systemd_logs: { unit: 'nginx.service' },
      systemd_restart: { unit: 'nginx.service' },
      write_file: { path: 'written.txt', content: 'x' },
      apt_install: { packages: ['coreutils'] },
      execute_command: { command: 'ls' },
    };
    for (const tool of registry.list()) {
      for (const role of ROLES) {
        const caller = users[role];
        const before = await lastAuditId();
        const outcome = await registry.execute(tool.name, minimalArgs[tool.name] ?? {}, caller, JUSTIFICATION).catch((error: unknown) => error);
        const rows = (await auditSince(before)).filter((row) => row.action === `tool.${tool.name}`);
        // A caller below the tool's minimum role is refused before the call is classified: the tool's own class is recorded.
        const roleAllowed = roleAtLeast(role, tool.minRole);
        const actionClass = tool.name === 'execute_command' && roleAllowed ? ActionClass.Read : tool.actionClass;
        const policy = decide(role, actionClass);
        const expected = !roleAllowed || policy === 'deny' ? 'refused' : policy === 'approve' ? 'pending' : 'allowed';
        // What runs is audited twice: its start (before the tool runs) and its outcome.
        const entries = expected === 'allowed' ? [[role, actionClass, expected, 'started'], [role, actionClass, expected, 'outcome']] : [[role, actionClass, expected, 'outcome']];
        expect({
          tool: tool.name,
          role,
          decisions: rows.map((row) => [row.role, row.action_class, row.decision, row.result?.['status'] === 'started' ? 'started' : 'outcome']),
        }).toEqual({ tool: tool.name, role, decisions: entries });
        if (expected === 'refused') expect(outcome).toBeInstanceOf(Error);
        if (expected === 'pending') expect(outcome).toMatchObject({ kind: 'pending' });
      }
    }
  });

  it('classifies execute_command by its program and refuses up front what the executor would refuse', async () => {
    const { registry } = build();
    await expect(registry.execute('execute_command', { command: 'ls' }, users.operator)).resolves.toMatchObject({
      kind: 'executed',
      result: { status: 'completed', actionClass: ActionClass.Read, verification: { verified: true } },
    });
    await expect(registry.execute('execute_command', { command: 'mkdir -p made' }, users.operator)).resolves.toMatchObject({
      result: { actionClass: ActionClass.Moderate, status: 'completed' },
    });
    await expect(registry.execute('execute_command', { command: 'rm -r made' }, users.admin)).rejects.toMatchObject({ code: 'JUSTIFICATION_REQUIRED' });
    await expect(registry.execute('execute_command', { command: 'python3 x.py' }, users.operator, JUSTIFICATION)).resolves.toMatchObject({
      kind: 'pending',
      actionClass: ActionClass.Critical,
    });
    const before = await lastAuditId();
    await expect(registry.execute('execute_command', { command: 'curl http://example.com' }, users.admin, JUSTIFICATION)).rejects.toMatchObject({
      code: 'PROGRAM_NOT_ALLOWED',
    });
    await expect(registry.execute('execute_command', { command: 'ls; rm -rf /' }, users.operator)).rejects.toMatchObject({ code: 'COMMAND_REFUSED' });
    await expect(registry.execute('no_such_tool', {}, users.admin)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await auditSince(before)).map((row) => [row.action, row.decision, row.reason])).toEqual([
      ['tool.execute_command', 'refused', "'curl' is not an allowed program for the admin role"],
      ['tool.execute_command', 'refused', expect.stringMatching(/^The command contains ";"/) as unknown],
      ['tool.no_such_tool', 'refused', "There is no tool named 'no_such_tool'"],
    ]);
  });

  it('reports a MODERATE action complete only after a passing verification when VERIFY_REQUIRED is on', async () => {
    const tools = [moderateTool('flaky_change', { verified: false, detail: 'still the old state' }), moderateTool('unchecked_change', undefined)];
    const strict = build({ tools }).registry;
    const flaky = await strict.execute('flaky_change', {}, users.operator);
    expect(flaky).toMatchObject({ kind: 'executed', result: { status: 'failed', verification: { verified: false } } });
    expect(await strict.execute('unchecked_change', {}, users.operator)).toMatchObject({ result: { status: 'failed', verification: null } });
    if (flaky.kind !== 'executed') throw new Error('expected an executed action');
    expect(await actions.findById(flaky.actionId)).toMatchObject({ status: 'failed', errorCode: 'VERIFICATION_FAILED' });

    const lenient = build({ tools }, { verifyRequired: false }).registry;
    expect(await lenient.execute('flaky_change', {}, users.operator)).toMatchObject({ result: { status: 'completed', verification: { verified: false } } });
  });

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
    expect(required).toEqual([expect.objectContaining({ approvalId: pending.approvalId, tool: 'counted_change', justification: JUSTIFICATION })]);

    const results = await Promise.allSettled([
      service.approve(pending.approvalId, users.admin, 'looks right'),
      service.approve(pending.approvalId, users.otherAdmin, 'fine by me'),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'APPROVAL_NOT_PENDING' } });
    expect(calls).toEqual([{ target: 'db', count: 3 }]);
    expect(decided).toEqual([expect.objectContaining({ approvalId: pending.approvalId, status: 'approved', actionStatus: 'completed' })]);

    const [view] = (await service.page(['executed'], undefined, 10)).items.filter((item) => item.id === pending.approvalId);
    expect(view).toMatchObject({ status: 'executed', requestedBy: { userId: users.operator.userId, role: Role.Operator }, actionId: expect.any(String) as unknown, actionStatus: 'completed' });
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
    await expect(service.approve(outcome.approvalId, users.otherAdmin, 'second pair of eyes')).resolves.toMatchObject({ result: { status: 'completed' } });
    expect(calls).toEqual([{ target: 'y', count: 2 }]);
  });

  it('rolls write_file back to the exact previous content, or deletes the file it created, once', async () => {
    const { registry } = build();
    const previous = 'line one\r\nline two — ünïcode\n\nno newline at the end';
    writeFileSync(join(workspace, 'config.txt'), previous);
    const written = await registry.execute('write_file', { path: 'config.txt', content: 'replaced' }, users.admin, JUSTIFICATION);
    if (written.kind !== 'executed') throw new Error('expected an executed action');
    expect(written.result).toMatchObject({ status: 'completed', verification: { verified: true }, rollback: { available: true, kind: 'restore_file' } });
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
    const rows = await dataSource.query<{ decision: string }[]>(`SELECT decision FROM audit_entries WHERE action = 'action.rollback' ORDER BY id`);
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
        registry.execute('write_file', args, agent((request) => (asked.push(request), Promise.resolve(decision))), JUSTIFICATION),
      ).rejects.toMatchObject({ code: 'CONFIRMATION_DECLINED', message: expect.stringContaining(decision) as unknown });
      expect((await auditSince(before)).map((row) => [row.action, row.decision])).toEqual([['tool.write_file', 'refused']]);
    }
    await expect(registry.execute('write_file', args, agent(() => Promise.reject(new Error('socket gone'))), JUSTIFICATION)).rejects.toMatchObject({
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
    const confirmed = await registry.execute('write_file', args, agent(() => Promise.resolve('confirmed')), JUSTIFICATION);
    expect(confirmed).toMatchObject({ kind: 'executed', result: { status: 'completed' } });
    expect(readFileSync(join(workspace, 'agent.txt'), 'utf8')).toBe(args.content);
    const [, outcome] = await auditSince(before);
    expect(outcome.reason).toMatch(new RegExp(`^${JUSTIFICATION} \\(confirmed in the chat by admin-user, confirmation [0-9a-f-]{36}\\)$`));

    // HTTP and API callers (no run) and the agent's lower classes are not asked.
    const never = jest.fn(() => Promise.resolve('declined' as const));
    await expect(registry.execute('write_file', args, { ...users.admin, confirm: never }, JUSTIFICATION)).resolves.toMatchObject({ kind: 'executed' });
    await expect(registry.execute('read_file', { path: 'agent.txt' }, agent(never))).resolves.toMatchObject({ kind: 'executed' });
    expect(never).not.toHaveBeenCalled();
  });

  it('refuses arguments the audit cannot store, and runs nothing when the audit store refuses writes', async () => {
    const calls: unknown[] = [];
    const { registry } = build({ tools: [...CAPABILITY_TOOLS, countingTool(calls)] });
    writeFileSync(join(workspace, 'nul.txt'), 'before');
    await expect(registry.execute('write_file', { path: 'nul.txt', content: 'a\u0000b' }, users.admin, JUSTIFICATION)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENTS',
      details: ['args.content contains a NUL character (\\u0000), which cannot be stored in the audit log'],
    });
    expect(readFileSync(join(workspace, 'nul.txt'), 'utf8')).toBe('before');
    const [refusal] = await dataSource.query<{ args: Record<string, unknown> }[]>(`SELECT args FROM audit_entries ORDER BY id DESC LIMIT 1`);
    expect(refusal.args).toEqual({ path: 'nul.txt', content: { sha256: sha('a\u0000b'), bytes: 3 } });
    await expect(registry.execute('execute_command', { command: 'ls \ud800' }, users.operator)).rejects.toMatchObject({ code: 'INVALID_ARGUMENTS' });

    await dataSource.query(`CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit down'; END $$`);
    await dataSource.query(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`);
    try {
      await expect(registry.execute('write_file', { path: 'unaudited.txt', content: 'x' }, users.admin, JUSTIFICATION)).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
      expect(existsSync(join(workspace, 'unaudited.txt'))).toBe(false);
      await expect(registry.execute('counted_change', { target: 'a', count: 1 }, users.operator, JUSTIFICATION)).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
      await expect(registry.execute('execute_command', { command: 'rm -rf /' }, users.viewer)).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    } finally {
      await dataSource.query('DROP TRIGGER test_refuse_audit ON audit_entries');
      await dataSource.query('DROP FUNCTION test_refuse_audit()');
    }
    expect(calls).toEqual([]);
    const [unaudited] = await dataSource.query<{ status: string; error_code: string }[]>(`SELECT status, error_code FROM tool_actions ORDER BY created_at DESC LIMIT 1`);
    expect(unaudited).toEqual({ status: 'failed', error_code: 'AUDIT_UNAVAILABLE' });
  });

  it('refuses at run time an approved request whose requester was disabled or demoted since', async () => {
    const calls: unknown[] = [];
    const { registry, service, events } = build({ tools: [countingTool(calls)] });
    const decided: ApprovalDecidedEvent[] = [];
    events.on('approval:decided', (event) => decided.push(event));
    const repository = dataSource.getRepository(UserEntity);
    const requester = await repository.save({ username: `requester-${randomUUID().slice(0, 8)}`, passwordHash: 'x', role: Role.Operator });
    const caller: Caller = { actor: { type: 'user', id: requester.id, name: requester.username }, userId: requester.id, role: Role.Operator };

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
    const key = await dataSource.getRepository(ApiKeyEntity).save({ userId: owner.id, name: 'ci', prefix: 'aegis_test', keyHash: 'f'.repeat(64), role: Role.Operator, expiresAt: null, revokedAt: null, lastUsedAt: null });
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
      const outcome = await registry.execute('counted_change', { target: toolCallId, count: 1 }, { ...users.operator, runId, toolCallId }, JUSTIFICATION);
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
