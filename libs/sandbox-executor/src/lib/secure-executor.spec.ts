import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@aegis/config';
import { Role } from '@aegis/contracts';
import { testConfig } from '@aegis/testing';
import { BwrapDriver } from './drivers/bwrap.driver';
import { DirectDriver } from './drivers/direct.driver';
import { DockerDriver } from './drivers/docker.driver';
import type { DriverAvailability, ExecutionResult, SandboxDriver, SandboxRun } from './executor.types';
import { MAX_OUTPUT_BYTES } from './sandbox-limits';
import { SecureExecutor } from './secure-executor';

/** The real direct driver, recording what SecureExecutor hands it. */
class RecordingDriver implements SandboxDriver {
  readonly name = 'direct' as const;
  readonly runs: SandboxRun[] = [];
  private readonly inner = new DirectDriver();
  availability(): Promise<DriverAvailability> {
    return this.inner.availability();
  }
  run(run: SandboxRun): Promise<ExecutionResult> {
    this.runs.push(run);
    return this.inner.run(run);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const code = (value: string) => ({ code: value });

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function setup(environment: Record<string, string> = {}) {
  const base = mkdtempSync(join(tmpdir(), 'aegis-executor-'));
  temporary.push(base);
  const workspace = join(base, 'workspace');
  const config = testConfig({ EXECUTE_MODE: 'direct', SANDBOX_TIMEOUT_MS: '5000', WORKSPACE_DIR: workspace, ...environment });
  const driver = new RecordingDriver();
  const executor = new SecureExecutor(config, { drivers: { direct: driver } });
  return { base, workspace, config, driver, executor };
}

/** Runs nothing; each run waits until the test lets it finish, and `settled()` until the test says so. */
class GatedDriver implements SandboxDriver {
  readonly name = 'direct' as const;
  readonly events: string[] = [];
  private readonly gates: (() => void)[] = [];
  settledGate: Promise<void> = Promise.resolve();
  availability(): Promise<DriverAvailability> {
    return Promise.resolve({ available: true });
  }
  run(run: SandboxRun): Promise<ExecutionResult> {
    this.events.push(`start ${run.argv.join(' ')}`);
    return new Promise((resolve) => {
      this.gates.push(() => {
        this.events.push(`end ${run.argv.join(' ')}`);
        resolve({ exitCode: 0, stdout: '', stderr: '', truncated: false, timedOut: false, durationMs: 0, driver: 'direct' });
      });
    });
  }
  settled(): Promise<void> {
    this.events.push('settled?');
    return this.settledGate;
  }
  finishNext(): void {
    this.gates.shift()?.();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('SecureExecutor and git (docs/sandbox.md "Git")', () => {
  function gitSetup() {
    const base = mkdtempSync(join(tmpdir(), 'aegis-executor-git-'));
    temporary.push(base);
    const workspace = join(base, 'workspace');
    mkdirSync(join(workspace, 'repo', '.git'), { recursive: true });
    const driver = new GatedDriver();
    const executor = new SecureExecutor(testConfig({ EXECUTE_MODE: 'direct', SANDBOX_TIMEOUT_MS: '5000', WORKSPACE_DIR: workspace }), {
      drivers: { direct: driver },
    });
    return { workspace, driver, executor };
  }

  it('refuses git in a repository whose config names a program, before the driver runs anything', async () => {
    const { workspace, driver, executor } = gitSetup();
    writeFileSync(join(workspace, 'repo', '.git', 'config'), '[core]\n\tfsmonitor = touch /workspace/x\n');
    await expect(executor.execute({ role: Role.Viewer, argv: ['git', 'status'], cwd: 'repo' })).rejects.toMatchObject({
      code: 'COMMAND_REFUSED',
      message: expect.stringContaining('repo/.git/config sets core.fsmonitor') as string,
    });
    await expect(
      executor.execute({ role: Role.Operator, argv: ['git', 'pull', '--recurse-submodules'], cwd: 'repo' }),
    ).rejects.toMatchObject(code('COMMAND_REFUSED'));
    expect(driver.events.filter((event) => event.startsWith('start'))).toEqual([]);
  });

  it('runs git alone: after running writers finish and the driver has settled, before later commands', async () => {
    const { workspace, driver, executor } = gitSetup();
    let settle = () => undefined as void;
    driver.settledGate = new Promise((resolve) => (settle = resolve));
    const writer = executor.execute({ role: Role.Operator, argv: ['touch', 'a'] });
    const otherWriter = executor.execute({ role: Role.Operator, argv: ['touch', 'b'] });
    await flush();
    const git = executor.execute({ role: Role.Operator, argv: ['git', 'status'], cwd: 'repo' });
    await flush();
    const later = executor.execute({ role: Role.Operator, argv: ['touch', 'c'] });
    const viewer = executor.execute({ role: Role.Viewer, argv: ['ls'] });
    await flush();
    // The viewer's ls (read-only workspace) takes no lock; the later writer waits behind git.
    expect(driver.events).toEqual(['start touch a', 'start touch b', 'start ls']);
    driver.finishNext();
    driver.finishNext();
    await flush();
    expect(driver.events.slice(3)).toEqual(['end touch a', 'end touch b', 'settled?']);
    // A writer planting a config while git waits for the driver to settle is caught by the check that follows.
    writeFileSync(join(workspace, 'repo', '.git', 'config'), '[core]\n\tfsmonitor = evil\n');
    settle();
    await expect(git).rejects.toMatchObject(code('COMMAND_REFUSED'));
    await flush();
    expect(driver.events.slice(6)).toEqual(['start touch c']);
    driver.finishNext();
    driver.finishNext();
    await Promise.all([writer, otherWriter, later, viewer]);
  });
});

describe('SecureExecutor', () => {
  it('creates the workspace, runs argv there and reports a structured result', async () => {
    const { workspace, driver, executor } = setup();
    expect(existsSync(workspace)).toBe(false);
    const result = await executor.execute({ role: Role.Viewer, command: "echo 'hello world'" });
    expect(result).toEqual({
      exitCode: 0,
      stdout: 'hello world\n',
      stderr: '',
      truncated: false,
      timedOut: false,
      durationMs: expect.any(Number) as number,
      driver: 'direct',
    });
    expect(existsSync(workspace)).toBe(true);
    expect(driver.runs[0]).toMatchObject({
      argv: ['echo', 'hello world'],
      cwd: workspace,
      workspaceWritable: false,
      timeoutMs: 5000,
      maxOutputBytes: MAX_OUTPUT_BYTES,
    });
  });

  it('gives operators and admins a writable workspace, viewers a read-only one', async () => {
    const { driver, executor } = setup();
    await executor.execute({ role: Role.Viewer, argv: ['true'] });
    await executor.execute({ role: Role.Operator, argv: ['true'] });
    await executor.execute({ role: Role.Admin, argv: ['true'] });
    expect(driver.runs.map((run) => run.workspaceWritable)).toEqual([false, true, true]);
  });

  it('caps the timeout at SANDBOX_TIMEOUT_MS and refuses nonsense', async () => {
    const { driver, executor } = setup();
    await executor.execute({ role: Role.Viewer, argv: ['true'], timeoutMs: 1200 });
    await executor.execute({ role: Role.Viewer, argv: ['true'], timeoutMs: 600_000 });
    expect(driver.runs.map((run) => run.timeoutMs)).toEqual([1200, 5000]);
    for (const timeoutMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(executor.execute({ role: Role.Viewer, argv: ['true'], timeoutMs })).rejects.toMatchObject(code('COMMAND_REFUSED'));
    }
  });

  it('confines the working directory to the workspace', async () => {
    const { workspace, driver, executor } = setup();
    await executor.execute({ role: Role.Viewer, argv: ['true'] });
    mkdirSync(join(workspace, 'repo', 'src'), { recursive: true });
    writeFileSync(join(workspace, 'repo', 'file.txt'), 'x');
    const result = await executor.execute({ role: Role.Viewer, argv: ['pwd'], cwd: 'repo/src' });
    expect(result.stdout.trim()).toBe(join(workspace, 'repo', 'src'));
    for (const cwd of ['..', '../..', '/etc', 'repo/../../x']) {
      await expect(executor.execute({ role: Role.Viewer, argv: ['pwd'], cwd })).rejects.toMatchObject(code('PATH_OUTSIDE_WORKSPACE'));
    }
    await expect(executor.execute({ role: Role.Viewer, argv: ['pwd'], cwd: 'missing' })).rejects.toMatchObject(code('NOT_FOUND'));
    await expect(executor.execute({ role: Role.Viewer, argv: ['pwd'], cwd: 'repo/file.txt' })).rejects.toMatchObject(code('NOT_FOUND'));
    expect(driver.runs).toHaveLength(2);
  });

  it('wants exactly one of argv and command, and a known role', async () => {
    const { driver, executor } = setup();
    await expect(executor.execute({ role: Role.Viewer })).rejects.toMatchObject(code('COMMAND_REFUSED'));
    await expect(executor.execute({ role: Role.Viewer, argv: ['ls'], command: 'ls' })).rejects.toMatchObject(code('COMMAND_REFUSED'));
    await expect(executor.execute({ role: 'root' as Role, argv: ['ls'] })).rejects.toMatchObject(code('COMMAND_REFUSED'));
    expect(driver.runs).toHaveLength(0);
  });

  it('does not start a run whose signal is already aborted', async () => {
    const { driver, executor } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(executor.execute({ role: Role.Viewer, argv: ['true'], signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(driver.runs).toHaveLength(0);
  });

  it('kills a cancelled run and rejects with the abort reason', async () => {
    const { executor } = setup();
    const controller = new AbortController();
    const started = Date.now();
    const run = executor.execute({ role: Role.Viewer, argv: ['tail', '-f', '/dev/null'], signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 200);
    await expect(run).rejects.toThrow('user cancelled');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('times out, kills and reports timedOut', async () => {
    const { executor } = setup();
    const result = await executor.execute({ role: Role.Viewer, argv: ['tail', '-f', '/dev/null'], timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, exitCode: 137 });
  });
});

describe('SecureExecutor driver selection (fail-closed)', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-selection-'));
  temporary.push(workspace);
  const missingBwrap = () => new BwrapDriver({ workspaceDir: workspace, memoryMb: 256, bwrapPath: '/nonexistent/bwrap' });
  const missingDocker = () =>
    new DockerDriver({
      workspaceDir: workspace,
      image: 'aegis-sandbox:local',
      network: 'none',
      cpus: 0.5,
      memoryMb: 256,
      socketPath: '/nonexistent/docker.sock',
    });

  it('refuses with SANDBOX_UNAVAILABLE and says why when SANDBOX_DRIVER=docker and the daemon is unreachable', async () => {
    const config = testConfig({ SANDBOX_DRIVER: 'docker', WORKSPACE_DIR: workspace });
    const executor = new SecureExecutor(config, { dockerSocketPath: '/nonexistent/docker.sock' });
    const refusal = executor.execute({ role: Role.Viewer, argv: ['ls'] });
    await expect(refusal).rejects.toMatchObject(code('SANDBOX_UNAVAILABLE'));
    await expect(executor.execute({ role: Role.Viewer, argv: ['ls'] })).rejects.toThrow(
      'Docker daemon not reachable at /nonexistent/docker.sock',
    );
    expect(await executor.sandboxHealth()).toEqual({
      driver: 'none',
      available: false,
      reason: expect.stringContaining('Docker daemon not reachable') as unknown,
    });
    await executor.close();
  });

  it('refuses when SANDBOX_DRIVER=bwrap and bubblewrap is missing', async () => {
    const config = testConfig({ SANDBOX_DRIVER: 'bwrap', WORKSPACE_DIR: workspace });
    const executor = new SecureExecutor(config, { drivers: { bwrap: missingBwrap() } });
    await expect(executor.execute({ role: Role.Viewer, argv: ['ls'] })).rejects.toThrow(
      /No sandbox is available: bwrap: 'bwrap --version' failed/,
    );
    await executor.close();
  });

  it('in auto mode names every driver it tried, and never falls back to direct unless allowed', async () => {
    const config = testConfig({ SANDBOX_DRIVER: 'auto', WORKSPACE_DIR: workspace });
    const executor = new SecureExecutor(config, { drivers: { docker: missingDocker(), bwrap: missingBwrap() } });
    const health = await executor.sandboxHealth();
    expect(health).toMatchObject({ driver: 'none', available: false });
    expect(health.reason).toMatch(
      /^docker: Docker daemon not reachable at \/nonexistent\/docker.sock: .*; bwrap: 'bwrap --version' failed/,
    );
    await expect(executor.execute({ role: Role.Viewer, argv: ['ls'] })).rejects.toMatchObject(code('SANDBOX_UNAVAILABLE'));
    await executor.close();
  });

  it('falls back to direct, loudly, with ALLOW_DIRECT_FALLBACK=true outside production', async () => {
    const config = testConfig({ SANDBOX_DRIVER: 'auto', ALLOW_DIRECT_FALLBACK: 'true', WORKSPACE_DIR: workspace });
    const executor = new SecureExecutor(config, { drivers: { docker: missingDocker(), bwrap: missingBwrap() } });
    expect(await executor.sandboxHealth()).toEqual({
      driver: 'direct',
      available: true,
      reason: expect.stringContaining('WITHOUT a sandbox') as unknown,
    });
    expect(await executor.execute({ role: Role.Viewer, argv: ['echo', 'unsandboxed'] })).toMatchObject({
      stdout: 'unsandboxed\n',
      driver: 'direct',
    });
    await executor.close();
  });

  it('refuses direct execution in production even if the configuration slipped through', async () => {
    const config = testConfig({ EXECUTE_MODE: 'direct', WORKSPACE_DIR: workspace });
    const production: AppConfig = { ...config, nodeEnv: 'production' };
    const executor = new SecureExecutor(production);
    await expect(executor.execute({ role: Role.Viewer, argv: ['ls'] })).rejects.toThrow(
      'EXECUTE_MODE=direct is refused when NODE_ENV=production',
    );
    await executor.close();
  });
});
