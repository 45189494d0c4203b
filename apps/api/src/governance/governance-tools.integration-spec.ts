import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiComponents } from '@aegis/contracts';
import { ModulesContainer } from '@nestjs/core';
import { errorOf } from '../testing/cockpit-server';
import { gitAs, governanceOverHttp, IMAGE, JUSTIFICATION } from './governance.fixture';

// The governance HTTP contract end to end for tools run at once: the catalog, refusals by role, git pull, write_file
// with its justification and rollback, a failed verification, and Docker. Approvals and the audit log are in
// governance-approvals.integration-spec.ts; the set-up (real PostgreSQL, bubblewrap, git, Docker) in governance.fixture.ts.

type Schemas = ApiComponents['schemas'];
type Executed = Schemas['ExecutedActionDto'];

const classNameOf = (token: unknown): string | undefined => (typeof token === 'function' ? token.name : undefined);
const instanceClassNameOf = (instance: unknown): string | undefined =>
  typeof instance === 'object' && instance !== null ? classNameOf(instance.constructor) : undefined;

describe('governance over HTTP against PostgreSQL and the bubblewrap sandbox: tools run at once', () => {
  const gov = governanceOverHttp({ container: true });
  const { get, post, auditOf, workspace, pusher, containerName } = gov;
  beforeAll(() => gov.start());
  afterAll(() => gov.close());

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
    const providers = [...gov.app.get(ModulesContainer).values()].flatMap((module) => [...module.providers.values()]);
    expect(providers.length).toBeGreaterThan(20);
    expect(
      providers.filter(
        (wrapper) => classNameOf(wrapper.token) === 'ToolCatalog' || instanceClassNameOf(wrapper.instance) === 'ToolCatalog',
      ),
    ).toEqual([]);
  });

  it('provides the executor once, in a module only governance imports', () => {
    const modules = [...gov.app.get(ModulesContainer).values()];
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

  it('lists the Docker containers on the allowlist through the registry, validates tail, and lets an operator restart one', async () => {
    await get('viewer', '/api/docker/status').expect(403);
    await get('operator', `/api/docker/containers/${containerName}/logs?tail=0`).expect(400);
    await get('operator', `/api/docker/containers/${containerName}/logs?tail=5001`).expect(400);
    const status = (await get('operator', '/api/docker/status').expect(200)).body as Schemas['DockerStatusDto'];
    if (gov.dockerSkip) {
      console.warn(`Docker part skipped: ${gov.dockerSkip}`);
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
});
