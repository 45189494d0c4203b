import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@aegis/contracts';
import { testConfig } from '@aegis/testing';
import { MAX_OUTPUT_BYTES, SANDBOX_GID, SANDBOX_UID } from './sandbox-limits';
import { createSandboxWorkspace, ensureSandboxImage, removeSandboxWorkspace } from './sandbox-test-fixtures';
import { SecureExecutor } from './secure-executor';

const FAKE_SECRET = 'aegis-fake-secret-e2e-41b7';

/** A workspace with a small git repository and files, owned like the server would leave them. */
function seedWorkspace(workspace: string): void {
  mkdirSync(join(workspace, 'repo', 'src'), { recursive: true });
  writeFileSync(join(workspace, 'repo', 'README.md'), '# demo\n');
  writeFileSync(join(workspace, 'repo', 'src', 'main.ts'), 'export const answer = 42;\n');
  writeFileSync(join(workspace, 'big.txt'), 'x'.repeat(3 * MAX_OUTPUT_BYTES));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], {
      cwd: join(workspace, 'repo'),
      stdio: 'pipe',
      env: { PATH: '/usr/bin:/bin' },
    });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'first commit');
  if (process.getuid?.() === 0) chownSync(join(workspace, 'repo'), SANDBOX_UID, SANDBOX_GID);
}

describe.each(['bwrap', 'docker'] as const)('SecureExecutor end to end on %s', (driver) => {
  const workspace = createSandboxWorkspace(`aegis-e2e-${driver}-`);
  seedWorkspace(workspace);
  const config = testConfig({ SANDBOX_DRIVER: driver, WORKSPACE_DIR: workspace, SANDBOX_TIMEOUT_MS: '8000', SANDBOX_MEMORY_MB: '256' });
  let executor: SecureExecutor;

  beforeAll(async () => {
    if (driver === 'docker') ensureSandboxImage(config.executor.image);
    process.env['AEGIS_TEST_FAKE_SECRET'] = FAKE_SECRET;
    executor = new SecureExecutor(config);
    expect(await executor.sandboxHealth()).toEqual({ driver, available: true });
  });

  afterAll(async () => {
    delete process.env['AEGIS_TEST_FAKE_SECRET'];
    await executor.close();
    removeSandboxWorkspace(workspace);
  });

  it('lets a viewer read the workspace', async () => {
    const listing = await executor.execute({ role: Role.Viewer, command: 'ls -la repo' });
    expect(listing).toMatchObject({ exitCode: 0, driver, timedOut: false, truncated: false });
    expect(listing.stdout).toContain('README.md');
    expect(await executor.execute({ role: Role.Viewer, argv: ['cat', 'src/main.ts'], cwd: 'repo' })).toMatchObject({
      exitCode: 0,
      stdout: 'export const answer = 42;\n',
    });
    const grep = await executor.execute({ role: Role.Viewer, command: "grep -rn 'answer' repo/src" });
    expect(grep.stdout).toBe('repo/src/main.ts:1:export const answer = 42;\n');
  });

  it('runs the viewer git subcommands', async () => {
    const log = await executor.execute({ role: Role.Viewer, command: 'git log --oneline', cwd: 'repo' });
    expect(log).toMatchObject({ exitCode: 0 });
    expect(log.stdout).toMatch(/^[0-9a-f]+ first commit\n$/);
    const status = await executor.execute({ role: Role.Viewer, argv: ['git', 'status', '--porcelain'], cwd: 'repo' });
    expect(status).toMatchObject({ exitCode: 0, stdout: '' });
    await expect(executor.execute({ role: Role.Viewer, command: 'git pull', cwd: 'repo' })).rejects.toMatchObject({
      code: 'PROGRAM_NOT_ALLOWED',
    });
  });

  it('keeps the workspace read-only for viewers and writable for operators', async () => {
    await expect(executor.execute({ role: Role.Viewer, command: 'mkdir made-by-viewer' })).rejects.toMatchObject({
      code: 'PROGRAM_NOT_ALLOWED',
    });
    const made = await executor.execute({ role: Role.Operator, command: `mkdir -p made-by-operator-${driver}` });
    expect(made).toMatchObject({ exitCode: 0 });
    expect(existsSync(join(workspace, `made-by-operator-${driver}`))).toBe(true);
    const touched = await executor.execute({ role: Role.Operator, argv: ['touch', 'file.txt'], cwd: `made-by-operator-${driver}` });
    expect(touched.exitCode).toBe(0);
    expect(existsSync(join(workspace, `made-by-operator-${driver}`, 'file.txt'))).toBe(true);
  });

  it('passes no server secret to the command', async () => {
    const environ = await executor.execute({ role: Role.Viewer, argv: ['cat', '/proc/self/environ'] });
    expect(environ.exitCode).toBe(0);
    expect(environ.stdout).not.toContain(FAKE_SECRET);
    expect(environ.stdout).toContain('PATH=');
  });

  it('confines cwd and path arguments to the workspace', async () => {
    expect((await executor.execute({ role: Role.Viewer, argv: ['pwd'], cwd: 'repo/src' })).stdout).toBe('/workspace/repo/src\n');
    await expect(executor.execute({ role: Role.Viewer, argv: ['pwd'], cwd: '../' })).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_WORKSPACE',
    });
    await expect(executor.execute({ role: Role.Viewer, command: 'cat ../../etc/passwd' })).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_WORKSPACE',
    });
  });

  it('caps output and times out', async () => {
    const big = await executor.execute({ role: Role.Viewer, argv: ['cat', 'big.txt'] });
    expect(big).toMatchObject({ exitCode: 0, truncated: true });
    expect(big.stdout.length).toBe(MAX_OUTPUT_BYTES);
    const slow = await executor.execute({ role: Role.Viewer, argv: ['tail', '-f', '/dev/null'], timeoutMs: 800 });
    expect(slow).toMatchObject({ timedOut: true, exitCode: 137 });
    expect(slow.durationMs).toBeLessThan(5000);
  });
});

describe('SecureExecutor with the Docker daemon unreachable', () => {
  it('refuses a docker-only configuration with SANDBOX_UNAVAILABLE and says why', async () => {
    const workspace = createSandboxWorkspace('aegis-e2e-nodaemon-');
    const executor = new SecureExecutor(testConfig({ SANDBOX_DRIVER: 'docker', WORKSPACE_DIR: workspace }), {
      dockerSocketPath: join(workspace, 'no-such-docker.sock'),
    });
    const refusal = await executor.execute({ role: Role.Viewer, argv: ['ls'] }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'SANDBOX_UNAVAILABLE' });
    expect((refusal as Error).message).toContain(`Docker daemon not reachable at ${join(workspace, 'no-such-docker.sock')}`);
    expect(await executor.sandboxHealth()).toMatchObject({ driver: 'none', available: false });
    await executor.close();
    removeSandboxWorkspace(workspace);
  });
});
