import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRepository } from './git-repository';

describe('openRepository', () => {
  const base = mkdtempSync(join(tmpdir(), 'aegis-git-repo-'));
  const workspace = join(base, 'workspace');
  const outsideGit = join(base, 'outside.git');
  mkdirSync(workspace);
  const init = (dir: string) =>
    execFileSync('git', ['init', '-q', dir], { env: { PATH: '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
  init(join(workspace, 'good'));
  init(join(workspace, 'evil-config'));
  writeFileSync(join(workspace, 'evil-config', '.git', 'config'), '[core]\n\tfsmonitor = "touch /workspace/pwned"\n');
  init(join(workspace, 'hooked'));
  writeFileSync(join(workspace, 'hooked', '.git', 'hooks', 'post-merge'), '#!/bin/sh\ntouch /workspace/pwned\n');
  chmodSync(join(workspace, 'hooked', '.git', 'hooks', 'post-merge'), 0o755);
  mkdirSync(join(workspace, 'pointer-out'));
  init(outsideGit);
  writeFileSync(join(workspace, 'pointer-out', '.git'), `gitdir: ${join(outsideGit, '.git')}\n`);
  mkdirSync(join(workspace, 'link-out'));
  symlinkSync(join(outsideGit, '.git'), join(workspace, 'link-out', '.git'));
  mkdirSync(join(workspace, 'plain'));

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('opens a repository inside the workspace', async () => {
    await expect(openRepository(workspace, 'good')).resolves.toMatchObject({ relative: 'good', gitDir: join(workspace, 'good', '.git') });
  });

  it('opens a repository with executable hooks: git never runs them', async () => {
    await expect(openRepository(workspace, 'hooked')).resolves.toMatchObject({ relative: 'hooked' });
  });

  it.each([
    ['plain', 'NOT_FOUND', "'plain' is not a git repository (no .git in it)"],
    ['missing', 'NOT_FOUND', "'missing' is not a git repository (no .git in it)"],
    ['..', 'PATH_OUTSIDE_WORKSPACE', undefined],
    [
      'pointer-out',
      'COMMAND_REFUSED',
      'git is refused here: pointer-out/.git is a gitdir link file, which would send git to another git directory',
    ],
    ['link-out', 'COMMAND_REFUSED', 'git is refused here: link-out/.git is a symbolic link'],
    ['evil-config', 'COMMAND_REFUSED', undefined],
  ])('refuses %j (%s)', async (repo, code, message) => {
    await expect(openRepository(workspace, repo)).rejects.toMatchObject(message ? { code, message } : { code });
  });

  it('names the refused setting', async () => {
    await expect(openRepository(workspace, 'evil-config')).rejects.toThrow('evil-config/.git/config sets core.fsmonitor');
  });
});
