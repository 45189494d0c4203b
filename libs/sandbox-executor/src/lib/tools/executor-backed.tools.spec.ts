import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@aegis/contracts';
import { testConfig } from '@aegis/testing';
import { SecureExecutor } from '../secure-executor';
import { createToolCatalog } from './tool-catalog';

/**
 * The program-running tools through a real SecureExecutor (EXECUTE_MODE=direct: its allowlist and
 * argv checks, no sandbox), against real git, du and df on this machine. The sandboxes themselves
 * are exercised in tools.integration-spec.ts.
 */
describe('tools through SecureExecutor (direct mode)', () => {
  const base = mkdtempSync(join(tmpdir(), 'aegis-tools-direct-'));
  const workspace = join(base, 'workspace');
  const upstream = join(workspace, 'upstream.git');
  const app = join(workspace, 'app');
  const pusher = join(base, 'pusher');
  const gitAs = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test User', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const executor = new SecureExecutor(testConfig({ EXECUTE_MODE: 'direct', SANDBOX_TIMEOUT_MS: '20000', WORKSPACE_DIR: workspace }));
  const catalog = createToolCatalog({
    workspaceDir: workspace,
    runner: executor,
    containerAllowlist: [],
    systemdUnitAllowlist: [],
    aptEnabled: false,
  });
  const run = (name: string, args: unknown, role: Role) => catalog.run(name, args, { role });

  beforeAll(() => {
    mkdirSync(workspace, { recursive: true });
    gitAs(workspace, 'init', '-q', '--bare', upstream);
    gitAs(base, 'clone', '-q', upstream, pusher);
    writeFileSync(join(pusher, 'README.md'), 'hello\n');
    writeFileSync(join(pusher, 'notes.txt'), 'first\n');
    gitAs(pusher, 'add', '.');
    gitAs(pusher, 'commit', '-q', '-m', 'first commit');
    gitAs(pusher, 'push', '-q', 'origin', 'main');
    // A relative remote: what the sandbox can reach, since it sees the workspace only.
    gitAs(workspace, 'clone', '-q', './upstream.git', 'app');
    gitAs(app, 'remote', 'set-url', 'origin', '../upstream.git');
  });
  afterAll(async () => {
    await executor.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('git_status, git_log and git_diff read a workspace repository', async () => {
    writeFileSync(join(app, 'README.md'), 'hello\nchanged line\n');
    writeFileSync(join(app, 'untracked.txt'), 'new\n');
    await expect(run('git_status', { repo: 'app' }, Role.Viewer)).resolves.toEqual({
      output: {
        repo: 'app',
        branch: 'main',
        upstream: 'origin/main',
        ahead: 0,
        behind: 0,
        clean: false,
        entries: [
          { index: ' ', workTree: 'M', path: 'README.md' },
          { index: '?', workTree: '?', path: 'untracked.txt' },
        ],
      },
    });
    await expect(run('git_log', { repo: 'app', limit: 5 }, Role.Viewer)).resolves.toMatchObject({
      output: { repo: 'app', commits: [{ author: 'Test User', subject: 'first commit' }] },
    });
    const diff = (await run('git_diff', { repo: 'app' }, Role.Viewer)) as { output: { diff: string; truncated: boolean } };
    expect(diff.output.diff).toContain('+changed line');
    expect(diff.output.truncated).toBe(false);
    await expect(run('git_diff', { repo: 'app', staged: true }, Role.Viewer)).resolves.toMatchObject({ output: { diff: '' } });
  });

  it('git_pull fast-forwards, verifies HEAD is at the upstream and records the previous HEAD', async () => {
    const before = gitAs(app, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(pusher, 'notes.txt'), 'first\nsecond\n');
    gitAs(pusher, 'commit', '-q', '-am', 'second commit');
    gitAs(pusher, 'push', '-q', 'origin', 'main');
    const after = gitAs(pusher, 'rev-parse', 'HEAD').trim();
    await expect(run('git_pull', { repo: 'app' }, Role.Operator)).resolves.toMatchObject({
      output: { repo: 'app', previousHead: before, head: after, updated: true },
      verification: { verified: true, detail: `HEAD is at the upstream's commit ${after}` },
      rollback: { kind: 'git_reset', repo: 'app', previousHead: before, currentHead: after },
    });
    await expect(run('git_pull', { repo: 'app' }, Role.Operator)).resolves.toMatchObject({
      output: { updated: false },
      verification: { verified: true },
      rollback: undefined,
    });
  });

  it('git tools refuse what is not a workspace repository, before git runs', async () => {
    await expect(run('git_status', { repo: 'app/.git/..' }, Role.Viewer)).resolves.toMatchObject({ output: { repo: 'app' } });
    await expect(run('git_status', { repo: '.' }, Role.Viewer)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(run('git_log', { repo: '../pusher' }, Role.Viewer)).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
    await expect(run('git_pull', { repo: 'app' }, Role.Viewer)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('disk_usage measures with du and df through the executor', async () => {
    const { output } = (await run('disk_usage', { path: 'app' }, Role.Viewer)) as {
      output: { path: string; usedKb: number; filesystem: { totalKb: number; mountedOn: string } | null; warnings: string[] };
    };
    expect(output.path).toBe('app');
    expect(output.usedKb).toBeGreaterThan(0);
    expect(output.filesystem?.totalKb).toBeGreaterThan(0);
    expect(output.warnings).toEqual([]);
  });

  it('execute_command runs argv with the caller’s allowlist and refuses shell syntax and outside paths', async () => {
    await expect(run('execute_command', { command: 'ls notes.txt', cwd: 'app' }, Role.Operator)).resolves.toMatchObject({
      output: { exitCode: 0, stdout: 'notes.txt\n' },
      verification: { verified: true, detail: 'the command exited with 0' },
    });
    await expect(run('execute_command', { command: 'ls missing-file' }, Role.Operator)).resolves.toMatchObject({
      verification: { verified: false, detail: expect.stringMatching(/^the command exited with [1-9]/) as unknown },
    });
    await expect(run('execute_command', { command: 'ls | head -1' }, Role.Operator)).rejects.toMatchObject({ code: 'COMMAND_REFUSED' });
    await expect(run('execute_command', { command: 'cat /etc/shadow' }, Role.Admin)).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_WORKSPACE',
    });
    await expect(run('execute_command', { command: 'rm -rf app' }, Role.Operator)).rejects.toMatchObject({ code: 'PROGRAM_NOT_ALLOWED' });
  });
});
