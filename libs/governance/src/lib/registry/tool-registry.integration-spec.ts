import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionClass, type ApprovalDecidedEvent, type ApprovalRequiredEvent, Role, ROLES, roleAtLeast } from '@aegis/contracts';
import { createDataSourceOptions, UserEntity } from '@aegis/database';
import { CAPABILITY_TOOLS, type CapabilityTool, SANDBOX_UID, SecureExecutor } from '@aegis/sandbox-executor';
import { createTestDatabase, testConfig } from '@aegis/testing';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ToolActionRepository } from '../actions/tool-action.repository';
import { ApprovalRepository } from '../approvals/approval.repository';
import { ApprovalService } from '../approvals/approval.service';
import { AuditLog } from '../audit/audit-log';
import { GovernanceEvents } from '../events/governance-events';
import type { Caller, GovernanceSettings } from '../governance.types';
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
    const registry = new ToolRegistry(options, effective, audit, actions, approvals, events);
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
    audit = new AuditLog(dataSource);
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
        expect({ tool: tool.name, role, decisions: rows.map((row) => [row.role, row.action_class, row.decision]) }).toEqual({
          tool: tool.name,
          role,
          decisions: [[role, actionClass, expected]],
        });
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

    const [view] = (await service.list('executed', 10)).filter((item) => item.id === pending.approvalId);
    expect(view).toMatchObject({ status: 'executed', requestedBy: { userId: users.operator.userId, role: Role.Operator }, actionId: expect.any(String) as unknown });
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
    expect(rows.map((row) => row.decision)).toEqual(['refused', 'allowed', 'refused', 'allowed', 'refused']);
  });

  it('keeps the audit chain intact through all of this', async () => {
    await expect(audit.verify()).resolves.toMatchObject({ valid: true, firstBrokenId: null });
  });
});
