import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdminBootstrapService } from '@aegis/auth';
import type { AppConfig } from '@aegis/config';
import type { ApiComponents, ErrorBody } from '@aegis/contracts';
import { hostAvailability, SANDBOX_UID } from '@aegis/governance';
import { createGitWorkspace, createTestDatabase, gitAsOwner, type GitWorkspace, testConfig } from '@aegis/testing';
import { ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Dockerode from 'dockerode';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../app/create-app';
import { type BrowserSession, cookieHeader, sessionOf } from '../testing/http-session';

// The governance HTTP contract end to end: a real PostgreSQL, the real bubblewrap sandbox, a real
// git repository with a local upstream in the workspace, the host's apt (as root), and a real
// Docker container when a daemon is there (required with CI=true).

type Schemas = ApiComponents['schemas'];
type Executed = Schemas['ExecutedActionDto'];
type Pending = Schemas['PendingApprovalDto'];
type AuditPage = Schemas['AuditPageDto'];

const ADMIN_PASSWORD = 'admin-password-for-tests';
const USER_PASSWORD = 'correct horse battery staple';
const JUSTIFICATION = 'Restore the service configuration after the failed deploy';
const IMAGE = 'aegis-sandbox:local';
const inCi = process.env['CI'] === 'true';
const errorOf = (response: request.Response): ErrorBody => response.body as ErrorBody;
const classNameOf = (token: unknown): string | undefined => (typeof token === 'function' ? token.name : undefined);
const instanceClassNameOf = (instance: unknown): string | undefined =>
  typeof instance === 'object' && instance !== null ? classNameOf(instance.constructor) : undefined;

/** Host git as the sandbox user (it owns the workspace). */
const gitAs = (cwd: string, ...args: string[]) => gitAsOwner(SANDBOX_UID, cwd, ...args);

/** A workspace owned by the sandbox user with `app`, a clone of `upstream.git` (remote ../upstream.git), and a pusher clone outside it. */
function workspaceFixture(): GitWorkspace {
  const { base, workspace, pusher } = createGitWorkspace(SANDBOX_UID, 'aegis-governance-', { 'README.md': 'first\n' });
  // Run by python3 (CRITICAL) after approval: appends its arguments, so runs can be counted.
  writeFileSync(
    join(workspace, 'record.py'),
    "import sys\nwith open('runs.txt', 'a') as f:\n    f.write(' '.join(sys.argv[1:]) + '\\n')\n",
  );
  return { base, workspace, pusher };
}

async function dockerProblem(docker: Dockerode): Promise<string | undefined> {
  try {
    await docker.ping();
    await docker.getImage(IMAGE).inspect();
    return undefined;
  } catch (error) {
    return `Docker or ${IMAGE} is not available: ${error instanceof Error ? error.message : String(error)}`;
  }
}

describe('governance over HTTP against PostgreSQL and the bubblewrap sandbox', () => {
  const { base, workspace, pusher } = workspaceFixture();
  const containerName = `aegis-gov-test-${randomBytes(4).toString('hex')}`;
  const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let dockerSkip: string | undefined;
  let databaseUrl: string;
  let config: AppConfig;
  let app: NestExpressApplication;
  let dataSource: DataSource;
  const sessions: Record<'root' | 'admin2' | 'operator' | 'viewer', BrowserSession> = {} as Record<
    'root' | 'admin2' | 'operator' | 'viewer',
    BrowserSession
  >;
  const http = () => request(app.getHttpServer());
  const get = (who: keyof typeof sessions, path: string) => http().get(path).set('Cookie', cookieHeader(sessions[who]));
  const post = (who: keyof typeof sessions, path: string, body: object = {}) =>
    http().post(path).set('Cookie', cookieHeader(sessions[who])).set('X-CSRF-Token', sessions[who].csrf).send(body);
  const runs = () =>
    existsSync(join(workspace, 'runs.txt')) ? readFileSync(join(workspace, 'runs.txt'), 'utf8').split('\n').filter(Boolean) : [];

  async function login(username: string, password: string): Promise<BrowserSession> {
    const response = await http().post('/api/auth/login').send({ username, password }).expect(200);
    return sessionOf(response);
  }

  async function startApp(overrides: Record<string, string> = {}): Promise<NestExpressApplication> {
    config = testConfig({
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD,
      RATE_LIMIT_TOOLS: '1000/60',
      WORKSPACE_DIR: workspace,
      APT_TOOLS_ENABLED: 'true',
      DOCKER_CONTAINER_ALLOWLIST: containerName,
      ...overrides,
    });
    const { app: created } = await createApp(config, { url: databaseUrl, embedded: false });
    await created.init();
    return created;
  }

  async function auditOf(query: string): Promise<AuditPage['items']> {
    return ((await get('root', `/api/audit?${query}`).expect(200)).body as AuditPage).items;
  }

  async function requestApproval(who: keyof typeof sessions, body: object): Promise<string> {
    const response = await post(who, '/api/tools/execute_command/execute', body).expect(202);
    return (response.body as Pending).approvalId;
  }

  beforeAll(async () => {
    dockerSkip = await dockerProblem(docker);
    if (dockerSkip && inCi) throw new Error(`Docker is required with CI=true: ${dockerSkip}`);
    if (!dockerSkip) {
      const container = await docker.createContainer({
        Image: IMAGE,
        name: containerName,
        Cmd: ['sleep', '600'],
        HostConfig: { Init: true },
      });
      await container.start();
    }
    databaseUrl = await createTestDatabase();
    app = await startApp();
    await app.get(AdminBootstrapService).ensureAdmin();
    dataSource = app.get(DataSource);
    sessions.root = await login('root', ADMIN_PASSWORD);
    for (const [username, role] of [
      ['admin2', 'admin'],
      ['operator', 'operator'],
      ['viewer', 'viewer'],
    ] as const) {
      await post('root', '/api/users', { username, password: USER_PASSWORD, role }).expect(201);
      sessions[username] = await login(username, USER_PASSWORD);
    }
  });

  afterAll(async () => {
    await app?.close();
    if (!dockerSkip) await docker.getContainer(containerName).remove({ force: true });
    rmSync(base, { recursive: true, force: true });
  });

  it('lists every tool with its class and minimum role; the catalog itself is not reachable from the container', async () => {
    const response = await get('viewer', '/api/tools').expect(200);
    const items = (response.body as Schemas['ToolCatalogDto']).items;
    expect(items.find((tool) => tool.name === 'write_file')).toMatchObject({
      actionClass: 'SENSITIVE',
      minRole: 'admin',
      argsSchema: { type: 'object' },
    });
    expect(items.find((tool) => tool.name === 'apt_install')).toMatchObject({ actionClass: 'CRITICAL', minRole: 'admin' });
    expect(items).toHaveLength(22);
    // No provider in any module is (or is keyed by) a ToolCatalog: the registry's private one is the only instance.
    // (By class name: the executor's library, which defines ToolCatalog, is governance's alone to import.)
    const providers = [...app.get(ModulesContainer).values()].flatMap((module) => [...module.providers.values()]);
    expect(providers.length).toBeGreaterThan(20);
    expect(
      providers.filter(
        (wrapper) => classNameOf(wrapper.token) === 'ToolCatalog' || instanceClassNameOf(wrapper.instance) === 'ToolCatalog',
      ),
    ).toEqual([]);
  });

  it('provides the executor once, in a module only governance imports', () => {
    const modules = [...app.get(ModulesContainer).values()];
    const holders = modules.filter((module) => [...module.providers.keys()].some((token) => classNameOf(token) === 'SecureExecutor'));
    expect(holders.map((module) => module.name)).toEqual(['SandboxExecutorModule']);
    expect(holders[0].isGlobal).toBe(false);
    const importers = modules.filter((module) => [...module.imports].some((imported) => imported.name === 'SandboxExecutorModule'));
    expect(importers.map((module) => module.name)).toEqual(['GovernanceModule']);
  });

  it("refuses a viewer's restart with 403 and audits the refusal with its reason", async () => {
    const direct = await post('viewer', `/api/docker/containers/${containerName}/restart`).expect(403);
    expect(errorOf(direct)).toMatchObject({ code: 'FORBIDDEN', message: "'docker_restart' needs the operator role or higher" });
    await post('viewer', '/api/tools/systemd_restart/execute', { args: { unit: 'nginx.service' } }).expect(403);
    const refusals = await auditOf('actor=viewer&decision=refused');
    expect(refusals.map((entry) => [entry.action, entry.actionClass, entry.role, entry.reason])).toEqual([
      ['tool.systemd_restart', 'MODERATE', 'viewer', "'systemd_restart' needs the operator role or higher"],
      ['tool.docker_restart', 'MODERATE', 'viewer', "'docker_restart' needs the operator role or higher"],
    ]);
    expect(refusals[1].args).toEqual({ container: containerName });
  });

  it("runs an operator's git pull from the local upstream, verified, and an admin can reset it", async () => {
    const before = gitAs(join(workspace, 'app'), 'rev-parse', 'HEAD');
    writeFileSync(join(pusher, 'README.md'), 'second\n');
    gitAs(pusher, 'commit', '-q', '-am', 'second');
    gitAs(pusher, 'push', '-q', 'origin', 'main');
    const upstream = gitAs(pusher, 'rev-parse', 'HEAD');

    const response = await post('operator', '/api/tools/git_pull/execute', { args: { repo: 'app' } }).expect(200);
    const { actionId, result } = response.body as Executed;
    expect(result).toMatchObject({
      status: 'completed',
      actionClass: 'MODERATE',
      output: { previousHead: before, head: upstream, updated: true },
      verification: { verified: true, detail: `HEAD is at the upstream's commit ${upstream}` },
      rollback: { available: true, kind: 'git_reset' },
    });
    expect(gitAs(join(workspace, 'app'), 'rev-parse', 'HEAD')).toBe(upstream);

    await post('operator', `/api/actions/${actionId}/rollback`).expect(403);
    const undone = await post('root', `/api/actions/${actionId}/rollback`, { reason: 'test the reset' }).expect(200);
    expect(undone.body).toEqual({
      actionId,
      status: 'rolled_back',
      kind: 'git_reset',
      detail: `reset 'app' from ${upstream} to ${before}`,
    });
    expect(gitAs(join(workspace, 'app'), 'rev-parse', 'HEAD')).toBe(before);
    // The undo is audited when it starts and when it ends.
    expect((await auditOf('action=action.rollback')).map((entry) => [entry.decision, entry.result?.['status']])).toEqual([
      ['allowed', 'completed'],
      ['allowed', 'started'],
    ]);
  });

  it("refuses an admin's write_file without a justification (422), runs it with one, verifies it, and rolls it back exactly", async () => {
    const previous = 'server {\r\n  listen 80;\r\n}\n\n# ünïcödé, no newline at the end';
    writeFileSync(join(workspace, 'site.conf'), previous);
    const args = { path: 'site.conf', content: 'server { listen 8080; }\n' };

    const missing = await post('root', '/api/tools/write_file/execute', { args }).expect(422);
    expect(errorOf(missing)).toMatchObject({
      code: 'JUSTIFICATION_REQUIRED',
      details: ['a justification is required: say in a sentence why this action is needed'],
    });
    const weak = await post('root', '/api/tools/write_file/execute', { args, justification: 'fix' }).expect(422);
    expect(errorOf(weak).details).toEqual([
      'justification must be at least 20 characters (got 3)',
      'justification must have at least 3 words (got 1)',
    ]);
    const invalid = await post('root', '/api/tools/write_file/execute', {
      args: { path: '-x', content: 5, mode: 'x' },
      justification: JUSTIFICATION,
    }).expect(422);
    expect(errorOf(invalid)).toMatchObject({ code: 'INVALID_ARGUMENTS', message: "Invalid arguments for 'write_file'" });
    expect(errorOf(invalid).details).toHaveLength(3);
    expect(readFileSync(join(workspace, 'site.conf'), 'utf8')).toBe(previous);
    await post('operator', '/api/tools/write_file/execute', { args, justification: JUSTIFICATION }).expect(403);

    const response = await post('root', '/api/tools/write_file/execute', { args, justification: JUSTIFICATION }).expect(200);
    const { actionId, result } = response.body as Executed;
    expect(result).toMatchObject({
      status: 'completed',
      actionClass: 'SENSITIVE',
      verification: { verified: true },
      rollback: { available: true, kind: 'restore_file', reason: "undo restores the previous content of 'site.conf'" },
    });
    expect(readFileSync(join(workspace, 'site.conf'), 'utf8')).toBe(args.content);

    await post('root', `/api/actions/${actionId}/rollback`).expect(200);
    expect(readFileSync(join(workspace, 'site.conf'))).toEqual(Buffer.from(previous, 'utf8'));
    const again = await post('root', `/api/actions/${actionId}/rollback`).expect(409);
    expect(errorOf(again).code).toBe('ROLLBACK_UNAVAILABLE');

    const entries = await auditOf('action=tool.write_file');
    // What ran is audited before it runs (started) and after (its outcome).
    expect(entries.map((entry) => [entry.decision, entry.reason])).toEqual([
      ['allowed', JUSTIFICATION],
      ['allowed', JUSTIFICATION],
      ['refused', "'write_file' needs the admin role or higher"],
      ['refused', expect.stringMatching(/^Invalid arguments for 'write_file': /) as unknown],
      [
        'refused',
        'SENSITIVE actions need a written justification: justification must be at least 20 characters (got 3); justification must have at least 3 words (got 1)',
      ],
      [
        'refused',
        'SENSITIVE actions need a written justification: a justification is required: say in a sentence why this action is needed',
      ],
    ]);
    expect(entries[0].result).toMatchObject({ status: 'completed', actionId, rollback: { available: true } });
  });

  it('reports an action whose verification fails as failed (409), not complete, naming the action', async () => {
    const ok = await post('operator', '/api/tools/execute_command/execute', { args: { command: 'mkdir made-by-operator' } }).expect(200);
    expect((ok.body as Executed).result).toMatchObject({ status: 'completed', actionClass: 'MODERATE', verification: { verified: true } });
    const again = await post('operator', '/api/tools/execute_command/execute', { args: { command: 'mkdir made-by-operator' } }).expect(409);
    expect(errorOf(again)).toMatchObject({
      code: 'VERIFICATION_FAILED',
      message: expect.stringMatching(
        /^Action [0-9a-f-]{36} ran but is not complete: its verification failed \(the command exited with 1\)$/,
      ) as unknown,
      details: [
        expect.stringMatching(/^actionId: [0-9a-f-]{36}$/) as unknown,
        "rollback: a command's effects are not recorded; undo them with another command",
      ],
    });
    const [entry] = await auditOf('action=tool.execute_command&limit=1');
    expect(entry.result).toMatchObject({ status: 'failed', verificationRequired: true, verification: { verified: false } });
    const unknown = await post('operator', '/api/tools/rm_rf_everything/execute').expect(404);
    expect(errorOf(unknown).code).toBe('NOT_FOUND');
    expect((await auditOf('action=tool.rm_rf_everything'))[0]).toMatchObject({ decision: 'refused', actionClass: 'CRITICAL' });
  });

  it('keeps a CRITICAL command waiting for approval, runs it once with the stored arguments, and never again', async () => {
    const approvalId = await requestApproval('operator', {
      args: { command: 'python3 record.py approved-args' },
      justification: JUSTIFICATION,
    });
    expect(runs()).toEqual([]);
    await get('operator', '/api/approvals').expect(403);

    const listed = (await get('root', '/api/approvals?status=pending').expect(200)).body as Schemas['ApprovalListDto'];
    expect(listed.items.find((item) => item.id === approvalId)).toMatchObject({
      tool: 'execute_command',
      actionClass: 'CRITICAL',
      args: { command: 'python3 record.py approved-args' },
      argsSha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      justification: JUSTIFICATION,
      requestedBy: { type: 'user', name: 'operator', role: 'operator' },
      status: 'pending',
    });

    // There is no way to send other arguments with an approval.
    const changed = await post('root', `/api/approvals/${approvalId}/approve`, {
      comment: 'ok',
      args: { command: 'python3 record.py other' },
    }).expect(400);
    expect(errorOf(changed).message).toBe('property args should not exist');
    await post('root', `/api/approvals/${approvalId}/approve`, { comment: 'x'.repeat(1001) }).expect(400);

    const approved = await post('root', `/api/approvals/${approvalId}/approve`, { comment: 'reviewed the script' }).expect(200);
    expect((approved.body as Executed).result).toMatchObject({ status: 'completed', actionClass: 'CRITICAL', output: { exitCode: 0 } });
    expect(runs()).toEqual(['approved-args']);

    const twice = await post('admin2', `/api/approvals/${approvalId}/approve`, { comment: 'me too' }).expect(409);
    expect(errorOf(twice).code).toBe('APPROVAL_NOT_PENDING');
    expect(runs()).toEqual(['approved-args']);
    const [item] = ((await get('root', '/api/approvals?status=executed').expect(200)).body as Schemas['ApprovalListDto']).items;
    expect(item).toMatchObject({
      id: approvalId,
      decidedBy: { name: 'root' },
      comment: 'reviewed the script',
      actionId: (approved.body as Executed).actionId,
    });
  });

  it('never runs a rejected or an expired request', async () => {
    const rejected = await requestApproval('operator', { args: { command: 'python3 record.py rejected' }, justification: JUSTIFICATION });
    const decision = await post('root', `/api/approvals/${rejected}/reject`, { reason: 'not on a Friday' }).expect(200);
    expect(decision.body).toMatchObject({ id: rejected, status: 'rejected', comment: 'not on a Friday', decidedBy: { name: 'root' } });
    expect(errorOf(await post('root', `/api/approvals/${rejected}/approve`, { comment: 'after all' }).expect(409)).code).toBe(
      'APPROVAL_NOT_PENDING',
    );

    const expired = await requestApproval('operator', { args: { command: 'python3 record.py expired' }, justification: JUSTIFICATION });
    await dataSource.query(`UPDATE approval_requests SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired]);
    expect(errorOf(await post('root', `/api/approvals/${expired}/approve`, { comment: 'late' }).expect(410)).code).toBe('APPROVAL_EXPIRED');
    const listed = ((await get('root', '/api/approvals?status=expired').expect(200)).body as Schemas['ApprovalListDto']).items;
    expect(listed.map((item) => item.id)).toContain(expired);
    expect(runs()).toEqual(['approved-args']);
    expect((await auditOf('action=approval.*')).map((entry) => [entry.action, entry.decision])).toEqual(
      expect.arrayContaining([
        ['approval.approve', 'refused'],
        ['approval.expire', 'expired'],
        ['approval.reject', 'allowed'],
      ]),
    );
  });

  it('puts apt_install behind an approval and runs it once with the approved packages', async () => {
    const requested = await post('root', '/api/tools/apt_install/execute', {
      args: { packages: ['coreutils'] },
      justification: JUSTIFICATION,
    }).expect(202);
    const { approvalId } = requested.body as Pending;
    const rejected = await post('root', '/api/tools/apt_install/execute', {
      args: { packages: ['coreutils'] },
      justification: JUSTIFICATION,
    }).expect(202);
    await post('root', `/api/approvals/${(rejected.body as Pending).approvalId}/reject`, { reason: 'duplicate' }).expect(200);
    expect(await auditOf('action=tool.apt_install&decision=approved')).toEqual([]);

    const availability = hostAvailability({ aptEnabled: true }).apt();
    const approved = await post('admin2', `/api/approvals/${approvalId}/approve`, { comment: 'coreutils is already there' });
    if (!availability.available) {
      // Not root or no apt here: the approved action ran once and failed with the host's reason.
      expect(approved.status).toBe(503);
      expect(errorOf(approved)).toMatchObject({ code: 'CAPABILITY_UNAVAILABLE', message: availability.reason });
    } else {
      expect(approved.status).toBe(200);
      expect((approved.body as Executed).result).toMatchObject({
        status: 'completed',
        output: { exitCode: 0, newlyInstalled: [], alreadyInstalled: ['coreutils'] },
        verification: { verified: true },
        rollback: { available: false, reason: 'no package was newly installed, so there is nothing to remove' },
      });
    }
    const ran = await auditOf('action=tool.apt_install&decision=approved');
    expect(ran.map((entry) => entry.result?.['status'])).toEqual([expect.stringMatching(/^(completed|failed)$/), 'started']);
    expect(ran[0].args).toEqual({ packages: ['coreutils'] });
    expect(ran[0].reason).toBe('approved by admin2: coreutils is already there');
  });

  it('lists the Docker containers on the allowlist through the registry, validates tail, and lets an operator restart one', async () => {
    await get('viewer', '/api/docker/status').expect(403);
    await get('operator', `/api/docker/containers/${containerName}/logs?tail=0`).expect(400);
    await get('operator', `/api/docker/containers/${containerName}/logs?tail=5001`).expect(400);
    const status = (await get('operator', '/api/docker/status').expect(200)).body as Schemas['DockerStatusDto'];
    if (dockerSkip) {
      console.warn(`Docker part skipped: ${dockerSkip}`);
      expect(status).toMatchObject({ available: false, containers: [] });
      return;
    }
    expect(status).toEqual({
      available: true,
      containers: [expect.objectContaining({ name: containerName, image: IMAGE, state: 'running' })],
    });
    const logs = await get('operator', `/api/docker/containers/${containerName}/logs?tail=10`).expect(200);
    expect(logs.body).toEqual({
      container: containerName,
      id: expect.stringMatching(/^[0-9a-f]{12}$/) as string,
      logs: '',
      truncated: false,
    });
    const restarted = await post('operator', `/api/docker/containers/${containerName}/restart`).expect(200);
    expect((restarted.body as Executed).result).toMatchObject({
      status: 'completed',
      actionClass: 'MODERATE',
      verification: { verified: true },
    });
    await post('operator', '/api/docker/containers/not-allowlisted/restart').expect(403);
    expect((await auditOf('action=tool.docker_list')).length).toBeGreaterThanOrEqual(1);
  });

  it('pages through the audit log with filters and a validated limit', async () => {
    const first = (await get('root', '/api/audit?limit=2&action=tool.*').expect(200)).body as AuditPage;
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1].id);
    const second = (await get('root', `/api/audit?limit=2&action=tool.*&cursor=${first.nextCursor}`).expect(200)).body as AuditPage;
    expect(BigInt(second.items[0].id)).toBeLessThan(BigInt(first.items[1].id));
    expect(
      (await auditOf('class=CRITICAL&decision=pending')).every((entry) => entry.actionClass === 'CRITICAL' && entry.decision === 'pending'),
    ).toBe(true);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await auditOf(`from=${encodeURIComponent(future)}`)).toEqual([]);
    for (const bad of ['limit=0', 'limit=201', 'limit=x', 'cursor=-1', 'class=HUGE', 'from=yesterday'])
      await get('root', `/api/audit?${bad}`).expect(400);
    await get('operator', '/api/audit').expect(403);
    await get('operator', '/api/audit/verify').expect(403);
  });

  it('keeps a pending request across an API restart; with four eyes another admin approves it, and it runs once; tools are rate-limited', async () => {
    const approvalId = await requestApproval('root', {
      args: { command: 'python3 record.py after-restart' },
      justification: JUSTIFICATION,
    });
    await app.close();
    app = await startApp({ GOVERNANCE_FOUR_EYES: 'true', RATE_LIMIT_TOOLS: '3/60' });
    dataSource = app.get(DataSource);

    const pending = ((await get('root', '/api/approvals?status=pending').expect(200)).body as Schemas['ApprovalListDto']).items;
    expect(pending.map((item) => item.id)).toEqual([approvalId]);
    const own = await post('root', `/api/approvals/${approvalId}/approve`, { comment: 'my own' }).expect(403);
    expect(errorOf(own).code).toBe('SELF_APPROVAL_FORBIDDEN');
    expect(runs()).toEqual(['approved-args']);

    await post('admin2', `/api/approvals/${approvalId}/approve`, { comment: 'checked by a second admin' }).expect(200);
    expect(runs()).toEqual(['approved-args', 'after-restart']);
    await post('admin2', `/api/approvals/${approvalId}/approve`, { comment: 'again' }).expect(409);
    expect(runs()).toEqual(['approved-args', 'after-restart']);

    // Direct tool executions are rate-limited per user (RATE_LIMIT_TOOLS, 3 a minute in this app).
    for (let call = 0; call < 3; call++) await post('viewer', '/api/tools/list_directory/execute').expect(200);
    expect(errorOf(await post('viewer', '/api/tools/list_directory/execute').expect(429)).code).toBe('RATE_LIMITED');
  });

  it('verifies the chain, and reports the entry an attacker edited directly in the database', async () => {
    const intact = (await get('root', '/api/audit/verify').expect(200)).body as Schemas['ChainVerificationDto'];
    expect(intact).toMatchObject({ valid: true, firstBrokenId: null });
    expect(intact.checked).toBeGreaterThan(20);

    const [refusal] = await auditOf('actor=viewer&decision=refused&limit=1');
    await expect(dataSource.query(`UPDATE audit_entries SET decision = 'allowed' WHERE id = $1`, [refusal.id])).rejects.toThrow(
      /append-only/,
    );
    // Someone with the table owner's rights can turn the trigger off; the hash chain still shows the edit.
    await dataSource.query('ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change');
    await dataSource.query(`UPDATE audit_entries SET decision = 'allowed' WHERE id = $1`, [refusal.id]);
    await dataSource.query('ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change');

    const [before] = await dataSource.query<{ count: string }[]>('SELECT count(*) FROM audit_entries WHERE id < $1', [refusal.id]);
    const broken = (await get('root', '/api/audit/verify').expect(200)).body as Schemas['ChainVerificationDto'];
    expect(broken).toMatchObject({
      valid: false,
      checked: Number(before.count),
      firstBrokenId: refusal.id,
      firstBroken: { id: refusal.id, position: Number(before.count) + 1 },
    });
  });
});
