import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const asRoot = process.getuid?.() === 0;

/**
 * Host git for test fixtures, run as `owner` (the sandbox user) when the tests run as root: in a
 * deployment that user owns the workspace, and git trusts only repositories its own user owns.
 */
export function gitAs(owner: number, cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test User', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: '/usr/bin:/bin', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1' },
    ...(asRoot ? { uid: owner, gid: owner } : {}),
  }).trim();
}

export interface GitWorkspace {
  base: string;
  workspace: string;
  /** A clone outside the workspace that pushes new commits to the upstream. */
  pusher: string;
}

/**
 * A temp workspace owned by `owner` holding `upstream.git` (bare) and `app`, a clone of it whose
 * remote is the relative path `../upstream.git` (the sandbox has no network), with `files` as the
 * first commit, pushed from `pusher` outside the workspace.
 */
export function createGitWorkspace(owner: number, prefix: string, files: Record<string, string>): GitWorkspace {
  const base = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(base, 0o755);
  if (asRoot) chownSync(base, owner, owner);
  const workspace = join(base, 'workspace');
  const pusher = join(base, 'pusher');
  mkdirSync(workspace);
  if (asRoot) chownSync(workspace, owner, owner);
  gitAs(owner, workspace, 'init', '-q', '--bare', 'upstream.git');
  gitAs(owner, base, 'clone', '-q', join(workspace, 'upstream.git'), pusher);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(pusher, name), content);
  gitAs(owner, pusher, 'add', '.');
  gitAs(owner, pusher, 'commit', '-q', '-m', 'first commit');
  gitAs(owner, pusher, 'push', '-q', 'origin', 'main');
  gitAs(owner, workspace, 'clone', '-q', './upstream.git', 'app');
  gitAs(owner, join(workspace, 'app'), 'remote', 'set-url', 'origin', '../upstream.git');
  return { base, workspace, pusher };
}
