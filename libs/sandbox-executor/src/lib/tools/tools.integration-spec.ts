import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@aegis/contracts';
import { createGitWorkspace, gitAsOwner, skipUnlessCi, testConfig } from '@aegis/testing';
import Dockerode from 'dockerode';
import { SANDBOX_UID } from '../sandbox-limits';
import { SecureExecutor } from '../secure-executor';
import { createHostSystem } from './host-system';
import { createToolCatalog, type ToolCatalog } from './tool-catalog';

// End to end: the capability tools through the real SecureExecutor in real sandboxes (bubblewrap
// always; Docker when the daemon and aegis-sandbox:local are there), a real git repository in a
// temporary workspace, real containers, the real host's systemd and apt. With CI=true a missing
// service fails the run; elsewhere the Docker part is skipped with a note.

const IMAGE = 'aegis-sandbox:local';
const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });

async function dockerProblem(): Promise<string | undefined> {
  try {
    await docker.ping();
  } catch (error) {
    return `the Docker daemon does not answer at /var/run/docker.sock (${error instanceof Error ? error.message : String(error)})`;
  }
  try {
    await docker.getImage(IMAGE).inspect();
  } catch {
    return `the image ${IMAGE} is missing: build it with scripts/sandbox-image.sh`;
  }
  return undefined;
}

const asRoot = process.getuid?.() === 0;

/** Host git as the sandbox user (it owns the workspace). */
const gitAs = (cwd: string, ...args: string[]) => gitAsOwner(SANDBOX_UID, cwd, ...args);

interface Fixture {
  base: string;
  workspace: string;
  pusher: string;
  executor: SecureExecutor;
  catalog: ToolCatalog;
}

function fixture(driver: 'bwrap' | 'docker'): Fixture {
  const { base, workspace, pusher } = createGitWorkspace(SANDBOX_UID, `aegis-tools-${driver}-`, {
    'README.md': 'hello\n',
    'notes.txt': 'first\n',
  });
  gitAs(workspace, 'init', '-q', 'hooked');
  writeFileSync(join(workspace, 'hooked', '.git', 'hooks', 'post-merge'), '#!/bin/sh\ntouch /workspace/pwned\n', { mode: 0o755 });
  gitAs(workspace, 'init', '-q', 'fsmonitor');
  gitAs(join(workspace, 'fsmonitor'), 'config', 'core.fsmonitor', 'touch /workspace/pwned');
  const executor = new SecureExecutor(testConfig({ SANDBOX_DRIVER: driver, SANDBOX_TIMEOUT_MS: '30000', WORKSPACE_DIR: workspace }));
  const catalog = createToolCatalog({
    workspaceDir: workspace,
    runner: executor,
    containerAllowlist: [],
    systemdUnitAllowlist: [],
    aptEnabled: false,
  });
  return { base, workspace, pusher, executor, catalog };
}

describe.each(['bwrap', 'docker'] as const)('tools in the %s sandbox', (driver) => {
  let f: Fixture;
  let skipReason: string | undefined;

  beforeAll(async () => {
    if (driver === 'docker') {
      skipReason = skipUnlessCi('Docker', await dockerProblem());
      if (skipReason) {
        console.warn(`Skipping the docker-sandbox tool tests: ${skipReason}`);
        return;
      }
    }
    f = fixture(driver);
    const health = await f.executor.sandboxHealth();
    if (!health.available || health.driver !== driver)
      throw new Error(`the ${driver} sandbox is not usable here: ${health.reason ?? health.driver}`);
  });
  afterAll(async () => {
    if (!f) return;
    await f.executor.close();
    rmSync(f.base, { recursive: true, force: true });
  });

  const run = (name: string, args: unknown, role: Role) => f.catalog.run(name, args, { role });
  const test = (title: string, body: () => Promise<void>) =>
    it(title, async () => {
      if (skipReason) return;
      await body();
    });

  test('git_status, git_log and git_diff read a repository as a viewer (read-only workspace)', async () => {
    writeFileSync(join(f.workspace, 'app', 'README.md'), 'hello\nchanged line\n');
    await expect(run('git_status', { repo: 'app' }, Role.Viewer)).resolves.toMatchObject({
      output: { branch: 'main', upstream: 'origin/main', clean: false, entries: [{ index: ' ', workTree: 'M', path: 'README.md' }] },
    });
    await expect(run('git_log', { repo: 'app', limit: 3 }, Role.Viewer)).resolves.toMatchObject({
      output: { commits: [{ author: 'Test User', subject: 'first commit' }] },
    });
    const { output } = (await run('git_diff', { repo: 'app' }, Role.Viewer)) as { output: { diff: string } };
    expect(output.diff).toContain('+changed line');
  });

  test('git_pull fast-forwards from a remote inside the workspace, verified, with the previous HEAD recorded', async () => {
    const before = gitAs(join(f.workspace, 'app'), 'rev-parse', 'HEAD').trim();
    writeFileSync(join(f.pusher, 'notes.txt'), 'first\nsecond\n');
    gitAs(f.pusher, 'commit', '-q', '-am', 'second commit');
    gitAs(f.pusher, 'push', '-q', 'origin', 'main');
    const after = gitAs(f.pusher, 'rev-parse', 'HEAD').trim();
    await expect(run('git_pull', { repo: 'app' }, Role.Operator)).resolves.toMatchObject({
      output: { previousHead: before, head: after, updated: true },
      verification: { verified: true },
      rollback: { kind: 'git_reset', repo: 'app', previousHead: before, currentHead: after },
    });
    expect(readFileSync(join(f.workspace, 'app', 'notes.txt'), 'utf8')).toBe('first\nsecond\n');
  });

  test('refuses repositories whose config names programs, and never runs hooks, so nothing runs', async () => {
    await expect(run('git_status', { repo: 'fsmonitor' }, Role.Viewer)).rejects.toMatchObject({ code: 'COMMAND_REFUSED' });
    // The hook is never run; the pull itself fails for want of an upstream.
    await expect(run('git_pull', { repo: 'hooked' }, Role.Operator)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(existsSync(join(f.workspace, 'pwned'))).toBe(false);
  });

  test('disk_usage runs du and df in the sandbox', async () => {
    const { output } = (await run('disk_usage', { path: 'app' }, Role.Viewer)) as {
      output: { usedKb: number; filesystem: { totalKb: number } | null };
    };
    expect(output.usedKb).toBeGreaterThan(0);
    expect(output.filesystem?.totalKb).toBeGreaterThan(0);
  });

  test('system_info reports the host, with /proc/cpuinfo when lscpu is not allowed', async () => {
    const { output } = (await run('system_info', {}, Role.Viewer)) as {
      output: { cpu: { logicalCpus: number } | null; memory: { totalKb: number } | null };
    };
    expect(output.cpu?.logicalCpus).toBeGreaterThan(0);
    expect(output.memory?.totalKb).toBeGreaterThan(0);
  });

  test('execute_command runs in the sandbox as the unprivileged sandbox user, with the caller’s allowlist', async () => {
    await expect(run('execute_command', { command: 'ls', cwd: 'app' }, Role.Operator)).resolves.toMatchObject({
      output: { exitCode: 0, driver, stdout: expect.stringContaining('notes.txt') as string },
    });
    await expect(run('execute_command', { command: 'cat /etc/shadow' }, Role.Admin)).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_WORKSPACE',
    });
    await expect(run('execute_command', { command: 'ls; id' }, Role.Operator)).rejects.toMatchObject({ code: 'COMMAND_REFUSED' });
    await expect(run('execute_command', { command: 'id -u' }, Role.Operator)).resolves.toMatchObject({
      output: { exitCode: 0, stdout: `${SANDBOX_UID}\n` },
    });
  });

  test('write_file changes a tracked file that the sandbox then sees, keeping the sandbox user as owner', async () => {
    await expect(run('write_file', { path: 'app/notes.txt', content: 'rewritten\n' }, Role.Admin)).resolves.toMatchObject({
      output: { previousContent: 'first\nsecond\n' },
      verification: { verified: true },
    });
    if (asRoot) expect(statSync(join(f.workspace, 'app', 'notes.txt')).uid).toBe(SANDBOX_UID);
    const { output } = (await run('git_diff', { repo: 'app' }, Role.Viewer)) as { output: { diff: string } };
    expect(output.diff).toContain('+rewritten');
    await expect(run('git_pull', { repo: 'app' }, Role.Operator)).resolves.toMatchObject({ output: { updated: false } });
  });
});

describe('docker tools against real containers', () => {
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const allowed = `aegis-tools-it-web-${suffix}`;
  const hidden = `aegis-tools-it-other-${suffix}`;
  const containers: Dockerode.Container[] = [];
  let catalog: ToolCatalog;
  let skipReason: string | undefined;
  let workspace: string;

  beforeAll(async () => {
    skipReason = skipUnlessCi('Docker', await dockerProblem());
    if (skipReason) {
      console.warn(`Skipping the docker tool tests: ${skipReason}`);
      return;
    }
    for (const name of [allowed, hidden]) {
      const container = await docker.createContainer({
        name,
        Image: IMAGE,
        Cmd: ['sh', '-c', `echo ${name} started; exec sleep 600`],
        HostConfig: { NetworkMode: 'none', AutoRemove: false },
      });
      await container.start();
      containers.push(container);
    }
    workspace = mkdtempSync(join(tmpdir(), 'aegis-docker-tools-'));
    catalog = createToolCatalog({
      workspaceDir: workspace,
      runner: { execute: () => Promise.reject(new Error('docker tools use the Docker API')) },
      dockerClient: docker,
      containerAllowlist: [allowed, `aegis-tools-it-absent-${suffix}`],
      systemdUnitAllowlist: [],
      aptEnabled: false,
    });
  });
  afterAll(async () => {
    await Promise.all(containers.map((container) => container.remove({ force: true }).catch(() => undefined)));
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  const test = (title: string, body: () => Promise<void>) =>
    it(title, async () => {
      if (skipReason) return;
      await body();
    });
  const run = (name: string, args: unknown) => catalog.run(name, args, { role: Role.Operator });

  test('docker_list shows allowlisted containers only', async () => {
    const { output } = (await run('docker_list', {})) as { output: { containers: Record<string, unknown>[] } };
    const startedAt = (await containers[0].inspect()).State.StartedAt;
    expect(output.containers).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{12}$/) as string,
        name: allowed,
        image: IMAGE,
        state: 'running',
        status: expect.stringMatching(/^Up/) as string,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
        startedAt,
        health: 'none',
        restartCount: 0,
      },
    ]);
  });

  test('docker_logs reads an allowlisted container by name or id; others are FORBIDDEN, absent ones NOT_FOUND', async () => {
    await expect(run('docker_logs', { container: allowed, tail: 10 })).resolves.toEqual({
      output: { container: allowed, id: containers[0].id.slice(0, 12), logs: `${allowed} started\n`, truncated: false },
    });
    const id = containers[0].id.slice(0, 12);
    await expect(run('docker_logs', { container: id })).resolves.toMatchObject({ output: { container: allowed } });
    await expect(run('docker_logs', { container: hidden })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: `container '${hidden}' is not on the container allowlist`,
    });
    await expect(run('docker_logs', { container: containers[1].id.slice(0, 12) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(run('docker_logs', { container: `aegis-tools-it-absent-${suffix}` })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('docker_restart restarts an allowlisted container and verifies it runs again; others are refused untouched', async () => {
    const hiddenBefore = (await containers[1].inspect()).State.StartedAt;
    const outcome = (await run('docker_restart', { container: allowed, timeoutSeconds: 1 })) as {
      output: { running: boolean; startedAt: string; previousStartedAt: string };
      verification: { verified: boolean };
    };
    expect(outcome.verification.verified).toBe(true);
    expect(outcome.output.running).toBe(true);
    expect(outcome.output.startedAt).not.toBe(outcome.output.previousStartedAt);
    await expect(run('docker_logs', { container: allowed })).resolves.toMatchObject({
      output: { logs: `${allowed} started\n${allowed} started\n` },
    });
    await expect(run('docker_restart', { container: hidden })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await containers[1].inspect()).State.StartedAt).toBe(hiddenBefore);
  });
});

describe('host tools on this machine', () => {
  const runner = { execute: () => Promise.reject(new Error('host tools use no sandbox')) };
  let workspace: string;
  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'aegis-host-tools-it-'));
  });
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('systemd tools answer CAPABILITY_UNAVAILABLE where systemd is not the init system, and work where it is', async () => {
    const catalog = createToolCatalog({
      workspaceDir: workspace,
      runner,
      containerAllowlist: [],
      systemdUnitAllowlist: ['systemd-journald.service'],
      aptEnabled: false,
    });
    if (!existsSync('/run/systemd/system')) {
      for (const [name, args] of [
        ['systemd_status', { unit: 'systemd-journald' }],
        ['systemd_logs', { unit: 'systemd-journald' }],
        ['systemd_restart', { unit: 'systemd-journald' }],
      ] as const) {
        await expect(catalog.run(name, args, { role: Role.Operator })).rejects.toMatchObject({
          code: 'CAPABILITY_UNAVAILABLE',
          message: 'systemd is not available on this host',
        });
      }
      return;
    }
    await expect(catalog.run('systemd_status', { unit: 'systemd-journald' }, { role: Role.Viewer })).resolves.toMatchObject({
      output: { unit: 'systemd-journald.service', loadState: 'loaded' },
    });
    await expect(catalog.run('systemd_status', { unit: 'cron' }, { role: Role.Viewer })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('apt tools are unavailable unless enabled; enabled as root, installing an installed package changes nothing', async () => {
    const disabled = createToolCatalog({
      workspaceDir: workspace,
      runner,
      containerAllowlist: [],
      systemdUnitAllowlist: [],
      aptEnabled: false,
    });
    await expect(disabled.run('apt_install', { packages: ['coreutils'] }, { role: Role.Admin })).rejects.toMatchObject({
      code: 'CAPABILITY_UNAVAILABLE',
      message: 'apt tools are disabled on this server (APT_TOOLS_ENABLED=false)',
    });
    const enabled = createToolCatalog({
      workspaceDir: workspace,
      runner,
      containerAllowlist: [],
      systemdUnitAllowlist: [],
      aptEnabled: true,
    });
    const availability = createHostSystem({ aptEnabled: true }).apt();
    if (!availability.available) {
      await expect(enabled.run('apt_install', { packages: ['coreutils'] }, { role: Role.Admin })).rejects.toMatchObject({
        code: 'CAPABILITY_UNAVAILABLE',
        message: availability.reason,
      });
      return;
    }
    await expect(enabled.run('apt_install', { packages: ['coreutils'] }, { role: Role.Admin })).resolves.toMatchObject({
      output: { exitCode: 0, newlyInstalled: [], alreadyInstalled: ['coreutils'] },
      verification: { verified: true },
      rollback: undefined,
    });
  });
});
