import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProgramSettings, openRepository } from './git-repository';

describe('findProgramSettings', () => {
  it('finds nothing in the config git init writes, nor in ordinary remotes and branches', () => {
    const config = `[core]
\trepositoryformatversion = 0
\tfilemode = true
\tbare = false
\tlogallrefupdates = true
[remote "origin"]
\turl = ../upstream.git
\tfetch = +refs/heads/*:refs/remotes/origin/*
[branch "main"]
\tremote = origin
\tmerge = refs/heads/main
[core]
\tfsmonitor = false
\thooksPath = /dev/null
`;
    expect(findProgramSettings(config)).toEqual([]);
  });

  it.each([
    ['[core]\n\tfsmonitor = ./watch.sh', 'core.fsmonitor'],
    ['[core]\n\tHooksPath = .githooks', 'core.hookspath'],
    ['[core]\n\tsshCommand = ssh -oProxyCommand=evil', 'core.sshcommand'],
    ['[remote "origin"]\n\tuploadpack = touch /workspace/pwned', 'remote.origin.uploadpack'],
    ['[remote.origin]\n\treceivepack = evil', 'remote.origin.receivepack'],
    ['[include]\n\tpath = ../evil.config', 'include.path'],
    ['[includeIf "gitdir:/"]\n\tpath = evil', 'includeif.gitdir:/.path'],
    ['[filter "lfs"]\n\tclean = git-lfs clean -- %f', 'filter.lfs.clean'],
    ['[diff "img"]\n\ttextconv = exiftool', 'diff.img.textconv'],
    ['[diff]\n\texternal = evil', 'diff.external'],
    ['[merge "ours"]\n\tdriver = evil %A', 'merge.ours.driver'],
    ['[credential]\n\thelper = !evil', 'credential.helper'],
    ['[protocol "ext"]\n\tallow = always', 'protocol.ext.allow'],
    ['[core] fsmonitor = true', 'core.fsmonitor'],
    ['[uploadpack]\n\tpackObjectsHook = evil', 'uploadpack.packobjectshook'],
  ])('finds %j', (config, setting) => {
    expect(findProgramSettings(config)).toEqual([setting]);
  });

  it('ignores comments', () => {
    expect(findProgramSettings('# [core]\n; fsmonitor = evil\n[user]\n\tname = x # fsmonitor = y')).toEqual([]);
  });
});

describe('openRepository', () => {
  const base = mkdtempSync(join(tmpdir(), 'aegis-git-repo-'));
  const workspace = join(base, 'workspace');
  const outsideGit = join(base, 'outside.git');
  mkdirSync(workspace);
  const init = (dir: string) => execFileSync('git', ['init', '-q', dir]);
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
    await expect(openRepository(workspace, 'good', { hooks: true })).resolves.toMatchObject({ relative: 'good', gitDir: join(workspace, 'good', '.git') });
  });

  it.each([
    ['plain', 'NOT_FOUND', "'plain' is not a git repository (no .git in it)"],
    ['missing', 'NOT_FOUND', "'missing' is not a git repository (no .git in it)"],
    ['..', 'PATH_OUTSIDE_WORKSPACE', undefined],
    ['pointer-out', 'PATH_OUTSIDE_WORKSPACE', undefined],
    ['link-out', 'PATH_OUTSIDE_WORKSPACE', undefined],
    ['evil-config', 'FORBIDDEN', "'evil-config' is refused: its git config names programs to run (core.fsmonitor); remove them first"],
  ])('refuses %j (%s)', async (repo, code, message) => {
    await expect(openRepository(workspace, repo, { hooks: false })).rejects.toMatchObject(message ? { code, message } : { code });
  });

  it('refuses executable hooks only where the command would run them', async () => {
    await expect(openRepository(workspace, 'hooked', { hooks: false })).resolves.toMatchObject({ relative: 'hooked' });
    await expect(openRepository(workspace, 'hooked', { hooks: true })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: "'hooked' is refused: it has executable git hooks (post-merge); remove them first",
    });
  });
});
