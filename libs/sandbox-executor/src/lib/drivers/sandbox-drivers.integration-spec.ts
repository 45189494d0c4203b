import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { SandboxDriver, SandboxRun } from '../executor.types';
import { MAX_OUTPUT_BYTES, SANDBOX_UID } from '../sandbox-limits';
import { createSandboxWorkspace, ensureSandboxImage, hostProcessesRunning, removeSandboxWorkspace } from '../sandbox-test-fixtures';
import { BwrapDriver } from './bwrap.driver';
import { DockerDriver } from './docker.driver';

// Hostile programs (sh -c, dd, nc) are run through the drivers directly: the allowlist would refuse them.
const MEMORY_MB = 256;
const FAKE_SECRET = 'aegis-fake-secret-7f3c9a1d';
const workspace = createSandboxWorkspace('aegis-drivers-');

const drivers: [string, () => SandboxDriver][] = [
  ['bwrap', () => new BwrapDriver({ workspaceDir: workspace, memoryMb: MEMORY_MB })],
  [
    'docker',
    () => {
      ensureSandboxImage('aegis-sandbox:local');
      return new DockerDriver({ workspaceDir: workspace, image: 'aegis-sandbox:local', network: 'none', cpus: 1, memoryMb: MEMORY_MB });
    },
  ],
];

afterAll(() => removeSandboxWorkspace(workspace));

describe.each(drivers)('%s driver', (name, create) => {
  let driver: SandboxDriver;
  const run = (argv: string[], extra: Partial<SandboxRun> = {}) =>
    driver.run({ argv, cwd: workspace, workspaceWritable: false, timeoutMs: 10_000, maxOutputBytes: MAX_OUTPUT_BYTES, ...extra });

  beforeAll(async () => {
    process.env['AEGIS_TEST_FAKE_SECRET'] = FAKE_SECRET;
    driver = create();
    // A missing daemon or bwrap fails here with the driver's reason; it never skips.
    expect(await driver.availability()).toEqual({ available: true });
  });

  afterAll(async () => {
    delete process.env['AEGIS_TEST_FAKE_SECRET'];
    await driver.close();
  });

  it('runs as uid 65534 without capabilities', async () => {
    const id = await run(['id', '-u']);
    expect(id).toMatchObject({ exitCode: 0, stdout: `${SANDBOX_UID}\n`, driver: name, timedOut: false, truncated: false });
    const status = await run(['grep', '^Cap', '/proc/self/status']);
    expect(status.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(status.stdout).toMatch(/CapBnd:\s+0000000000000000/);
  });

  it('inherits no environment: no server secret reaches the sandbox', async () => {
    const result = await run(['env']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain(FAKE_SECRET);
    const names = result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('=')[0]);
    // Besides PATH and HOME only git's safety settings (docs/sandbox.md "Git").
    expect(
      names.filter((variable) => !['PATH', 'HOME', 'HOSTNAME', 'PWD', 'SHLVL'].includes(variable) && !variable.startsWith('GIT_')),
    ).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['PATH', 'HOME', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM', 'GIT_CONFIG_COUNT']));
  });

  it("gives git the executor's settings, read-only, and no HOME config", async () => {
    const config = await run(['git', 'config', '--global', '--list']);
    expect(config.stdout).toContain('core.hookspath=/dev/null');
    expect(config.stdout).toContain('safe.directory=*');
    expect((await run(['sh', '-c', 'echo x >> "$GIT_CONFIG_GLOBAL"'])).exitCode).not.toBe(0);
    const all = await run([
      'sh',
      '-c',
      'echo "[core]" > /tmp/.gitconfig && echo "pager = evil" >> /tmp/.gitconfig && git config --show-scope --get-all core.pager',
    ]);
    expect(all.stdout).not.toContain('evil');
    expect(all.stdout).toContain('command\tcat');
  });

  it('starts every command with an empty /tmp (HOME) and /dev/shm, whatever the one before left', async () => {
    for (let i = 0; i < 6; i++) {
      const leave = await run(
        [
          'sh',
          '-c',
          'touch /dev/shm/s; mkdir -p /tmp/d/e /tmp/.hidden && touch /tmp/.dot /tmp/..dots /tmp/d/e/f && chmod 0 /tmp/d/e && chmod 500 /tmp/d && ls -A /tmp',
        ],
        {
          workspaceWritable: i % 2 === 0,
        },
      );
      expect(leave.stdout).toBe('..dots\n.dot\n.hidden\nd\n');
      const look = await run(['sh', '-c', 'ls -A /tmp; ls -A /dev/shm; echo "$HOME"'], { workspaceWritable: i % 2 === 0 });
      expect(look.stdout).toBe('/tmp\n');
    }
  });

  describe('network', () => {
    let server: Server;
    let port: number;
    let connections = 0;

    beforeAll(async () => {
      server = createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('cannot reach a port the host listens on at 127.0.0.1', async () => {
      const result = await run(['busybox', 'nc', '-w', '2', '127.0.0.1', String(port)]);
      expect(result.exitCode).not.toBe(0);
      expect(connections).toBe(0);
    });

    it('cannot reach an outside address (no interface but loopback: no packet leaves)', async () => {
      const result = await run(['busybox', 'nc', '-w', '2', '1.1.1.1', '53']);
      expect(result.exitCode).not.toBe(0);
      const interfaces = await run(['cat', '/proc/net/dev']);
      expect(interfaces.stdout).toMatch(/\blo:/);
      expect(interfaces.stdout.split('\n').filter((line) => line.includes(':') && !/\blo:/.test(line))).toEqual([]);
    });
  });

  it('stops a memory bomb at the memory limit', async () => {
    const result = await run(['dd', 'if=/dev/zero', 'of=/dev/null', `bs=${MEMORY_MB * 2}M`, 'count=1']);
    expect(result.exitCode).not.toBe(0);
    // bwrap: RLIMIT_AS makes the allocation fail; docker: the cgroup's OOM killer ends it (137).
    if (name === 'docker') expect(result.exitCode).toBe(137);
    else expect(result.stderr).toMatch(/memory/i);
  });

  it('stops a fork bomb at the pids limit', async () => {
    const result = await run(['sh', '-c', 'i=0; while [ $i -lt 300 ]; do sleep 5 & i=$((i+1)); done; echo spawned $i'], {
      timeoutMs: 20_000,
    });
    expect(result.stdout).not.toContain('spawned 300');
    expect(result.stderr).toMatch(/fork|resource temporarily unavailable/i);
  });

  it('kills an infinite loop at the timeout, with every process it started', async () => {
    const marker = ['sleep', '987654'];
    const started = Date.now();
    const result = await run(['sh', '-c', 'sleep 987654 & while :; do :; done'], { timeoutMs: 1500 });
    expect(result).toMatchObject({ timedOut: true, exitCode: 137 });
    expect(Date.now() - started).toBeLessThan(6000);
    for (let attempt = 0; attempt < 50 && hostProcessesRunning(marker).length > 0; attempt++) await new Promise((r) => setTimeout(r, 100));
    expect(hostProcessesRunning(marker)).toEqual([]);
  });

  it('kills a cancelled run and rejects with the reason', async () => {
    const controller = new AbortController();
    const marker = ['sleep', '876543'];
    const pending = run(['sleep', '876543'], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled by the test')), 500);
    await expect(pending).rejects.toThrow('cancelled by the test');
    for (let attempt = 0; attempt < 50 && hostProcessesRunning(marker).length > 0; attempt++) await new Promise((r) => setTimeout(r, 100));
    expect(hostProcessesRunning(marker)).toEqual([]);
  });

  it('caps output at 1 MiB per stream and says so', async () => {
    const result = await run(['seq', '1', '400000']);
    expect(result.exitCode).toBe(0);
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.stdout)).toBe(MAX_OUTPUT_BYTES);
    expect(result.stdout.startsWith('1\n2\n3\n')).toBe(true);
  });

  it('has a read-only root and a private writable /tmp', async () => {
    expect((await run(['touch', '/x'])).exitCode).not.toBe(0);
    expect((await run(['touch', '/etc/x'])).exitCode).not.toBe(0);
    expect((await run(['touch', '/usr/x'])).exitCode).not.toBe(0);
    expect((await run(['touch', '/tmp/x'])).exitCode).toBe(0);
  });

  it('sees no host folder but the workspace', async () => {
    const result = await run(['ls', '/home', '/root', '/var/run/docker.sock', '/run/docker.sock']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe('');
    const mounts = await run(['cat', '/proc/self/mounts']);
    expect(mounts.stdout).toContain(' /workspace ');
    expect(mounts.stdout).not.toContain('docker.sock');
  });

  it('gives viewers a read-only workspace and operators a writable one', async () => {
    const viewer = await run(['touch', `/workspace/viewer-${name}.txt`], { workspaceWritable: false });
    expect(viewer.exitCode).not.toBe(0);
    expect(existsSync(join(workspace, `viewer-${name}.txt`))).toBe(false);
    const operator = await run(['touch', `/workspace/operator-${name}.txt`], { workspaceWritable: true });
    expect(operator.exitCode).toBe(0);
    expect(statSync(join(workspace, `operator-${name}.txt`)).uid).toBe(process.getuid?.() === 0 ? SANDBOX_UID : process.getuid?.());
  });

  it('runs in the requested folder of the workspace and nowhere else', async () => {
    mkdirSync(join(workspace, 'sub', 'dir'), { recursive: true });
    expect((await run(['pwd'], { cwd: join(workspace, 'sub', 'dir') })).stdout).toBe('/workspace/sub/dir\n');
    await expect(run(['pwd'], { cwd: '/etc' })).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
  });

  it('runs many commands in a row without leaking processes (zombies would count against the pids limit)', async () => {
    const count = name === 'bwrap' ? 100 : 20;
    for (let i = 0; i < count; i++) expect((await run(['echo', String(i)])).stdout).toBe(`${i}\n`);
  });

  it('still works after all of the above (the pool recycled what was killed)', async () => {
    const results = await Promise.all([run(['echo', 'a']), run(['echo', 'b']), run(['echo', 'c'], { workspaceWritable: true })]);
    expect(results.map((result) => result.stdout)).toEqual(['a\n', 'b\n', 'c\n']);
  });
});
