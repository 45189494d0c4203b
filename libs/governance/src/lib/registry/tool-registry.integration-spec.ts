import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionClass, ROLES, roleAtLeast } from '@aegis/contracts';
import { CAPABILITY_TOOLS } from '@aegis/sandbox-executor';
import type { DataSource } from 'typeorm';
import type { ToolActionRepository } from '../actions/tool-action.repository';
import type { AuditLog } from '../audit/audit-log';
import { decide } from '../policy/policy';
import {
  countingTool,
  JUSTIFICATION,
  moderateTool,
  openRegistryHarness,
  type RegistryHarness,
  sha,
  type TestUsers,
} from './registry-integration.fixture';

// The registry against a real PostgreSQL and the real bubblewrap sandbox: every tool goes through
// policy and the audit chain; execute_command is classed per program; verification decides completion;
// what the audit cannot store does not run. (Approvals: approved-runs; undo and confirmations: action-rollback.)

describe('ToolRegistry on PostgreSQL with the bubblewrap sandbox', () => {
  let harness: RegistryHarness;
  let dataSource: DataSource;
  let workspace: string;
  let audit: AuditLog;
  let actions: ToolActionRepository;
  let users: TestUsers;
  let build: RegistryHarness['build'];
  let auditSince: RegistryHarness['auditSince'];
  let lastAuditId: RegistryHarness['lastAuditId'];

  beforeAll(async () => {
    harness = await openRegistryHarness();
    ({ dataSource, workspace, audit, actions, users, build, auditSince, lastAuditId } = harness);
  });

  afterAll(() => harness.close());

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
        const outcome = await registry
          .execute(tool.name, minimalArgs[tool.name] ?? {}, caller, JUSTIFICATION)
          .catch((error: unknown) => error);
        const rows = (await auditSince(before)).filter((row) => row.action === `tool.${tool.name}`);
        // A caller below the tool's minimum role is refused before the call is classified: the tool's own class is recorded.
        const roleAllowed = roleAtLeast(role, tool.minRole);
        const actionClass = tool.name === 'execute_command' && roleAllowed ? ActionClass.Read : tool.actionClass;
        const policy = decide(role, actionClass);
        const expected = !roleAllowed || policy === 'deny' ? 'refused' : policy === 'approve' ? 'pending' : 'allowed';
        // What runs is audited twice: its start (before the tool runs) and its outcome.
        const entries =
          expected === 'allowed'
            ? [
                [role, actionClass, expected, 'started'],
                [role, actionClass, expected, 'outcome'],
              ]
            : [[role, actionClass, expected, 'outcome']];
        expect({
          tool: tool.name,
          role,
          decisions: rows.map((row) => [
            row.role,
            row.action_class,
            row.decision,
            row.result?.['status'] === 'started' ? 'started' : 'outcome',
          ]),
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
    await expect(registry.execute('execute_command', { command: 'rm -r made' }, users.admin)).rejects.toMatchObject({
      code: 'JUSTIFICATION_REQUIRED',
    });
    await expect(registry.execute('execute_command', { command: 'python3 x.py' }, users.operator, JUSTIFICATION)).resolves.toMatchObject({
      kind: 'pending',
      actionClass: ActionClass.Critical,
    });
    const before = await lastAuditId();
    await expect(
      registry.execute('execute_command', { command: 'curl http://example.com' }, users.admin, JUSTIFICATION),
    ).rejects.toMatchObject({
      code: 'PROGRAM_NOT_ALLOWED',
    });
    await expect(registry.execute('execute_command', { command: 'ls; rm -rf /' }, users.operator)).rejects.toMatchObject({
      code: 'COMMAND_REFUSED',
    });
    await expect(registry.execute('no_such_tool', {}, users.admin)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await auditSince(before)).map((row) => [row.action, row.decision, row.reason])).toEqual([
      ['tool.execute_command', 'refused', "'curl' is not an allowed program for the admin role"],
      ['tool.execute_command', 'refused', expect.stringMatching(/^The command contains ";"/) as unknown],
      ['tool.no_such_tool', 'refused', "There is no tool named 'no_such_tool'"],
    ]);
  });

  it('reports a MODERATE action complete only after a passing verification when VERIFY_REQUIRED is on', async () => {
    const tools = [
      moderateTool('flaky_change', { verified: false, detail: 'still the old state' }),
      moderateTool('unchecked_change', undefined),
    ];
    const strict = build({ tools }).registry;
    const flaky = await strict.execute('flaky_change', {}, users.operator);
    expect(flaky).toMatchObject({ kind: 'executed', result: { status: 'failed', verification: { verified: false } } });
    expect(await strict.execute('unchecked_change', {}, users.operator)).toMatchObject({
      result: { status: 'failed', verification: null },
    });
    if (flaky.kind !== 'executed') throw new Error('expected an executed action');
    expect(await actions.findById(flaky.actionId)).toMatchObject({ status: 'failed', errorCode: 'VERIFICATION_FAILED' });

    const lenient = build({ tools }, { verifyRequired: false }).registry;
    expect(await lenient.execute('flaky_change', {}, users.operator)).toMatchObject({
      result: { status: 'completed', verification: { verified: false } },
    });
  });

  it('refuses arguments the audit cannot store, and runs nothing when the audit store refuses writes', async () => {
    const calls: unknown[] = [];
    const { registry } = build({ tools: [...CAPABILITY_TOOLS, countingTool(calls)] });
    writeFileSync(join(workspace, 'nul.txt'), 'before');
    await expect(
      registry.execute('write_file', { path: 'nul.txt', content: 'a\u0000b' }, users.admin, JUSTIFICATION),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENTS',
      details: ['args.content contains a NUL character (\\u0000), which cannot be stored in the audit log'],
    });
    expect(readFileSync(join(workspace, 'nul.txt'), 'utf8')).toBe('before');
    const [refusal] = await dataSource.query<{ args: Record<string, unknown> }[]>(
      `SELECT args FROM audit_entries ORDER BY id DESC LIMIT 1`,
    );
    expect(refusal.args).toEqual({ path: 'nul.txt', content: { sha256: sha('a\u0000b'), bytes: 3 } });
    await expect(registry.execute('execute_command', { command: 'ls \ud800' }, users.operator)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENTS',
    });

    await dataSource.query(
      `CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit down'; END $$`,
    );
    await dataSource.query(
      `CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()`,
    );
    try {
      await expect(
        registry.execute('write_file', { path: 'unaudited.txt', content: 'x' }, users.admin, JUSTIFICATION),
      ).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
      expect(existsSync(join(workspace, 'unaudited.txt'))).toBe(false);
      await expect(registry.execute('counted_change', { target: 'a', count: 1 }, users.operator, JUSTIFICATION)).rejects.toMatchObject({
        code: 'AUDIT_UNAVAILABLE',
      });
      await expect(registry.execute('execute_command', { command: 'rm -rf /' }, users.viewer)).rejects.toMatchObject({
        code: 'AUDIT_UNAVAILABLE',
      });
    } finally {
      await dataSource.query('DROP TRIGGER test_refuse_audit ON audit_entries');
      await dataSource.query('DROP FUNCTION test_refuse_audit()');
    }
    expect(calls).toEqual([]);
    const [unaudited] = await dataSource.query<{ status: string; error_code: string }[]>(
      `SELECT status, error_code FROM tool_actions ORDER BY created_at DESC LIMIT 1`,
    );
    expect(unaudited).toEqual({ status: 'failed', error_code: 'AUDIT_UNAVAILABLE' });
  });

  it('keeps the audit chain intact through all of this', async () => {
    await expect(audit.verify()).resolves.toMatchObject({ valid: true, firstBrokenId: null });
  });
});
