import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGitConfig } from './git-config.parser';
import { checkGitArguments, checkGitRemotes, checkGitRepository, refusedGitSettings } from './git-safety';
import { GIT_SAFETY_SETTINGS, gitSafetyConfigText, gitSafetyEnvironment } from './git-safety-config';

const HOST_GIT_ENV = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  HOME: '/nonexistent',
};
const scratch = mkdtempSync(join(tmpdir(), 'aegis-git-safety-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function refusalOf(action: () => void): { code?: string; message?: string } | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return error as { code?: string; message?: string };
  }
}

/** What git 2.39 itself reads from a config file: `key=value` lines, or undefined when git rejects the file. */
function gitsReading(text: string): string[] | undefined {
  const file = join(scratch, `config-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, text);
  const result = spawnSync('git', ['config', '--file', file, '--list', '--null', '--no-includes'], { env: HOST_GIT_ENV, encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return result.stdout
    .split('\0')
    .filter((entry) => entry !== '')
    .map((entry) => (entry.includes('\n') ? entry.replace('\n', '=') : entry));
}

function oursReading(text: string): string[] | undefined {
  try {
    return parseGitConfig(text).map((entry) => {
      const name = entry.subsection === undefined ? `${entry.section}.${entry.key}` : `${entry.section}.${entry.subsection}.${entry.key}`;
      return entry.value === null ? name : `${name}=${entry.value}`;
    });
  } catch {
    return undefined;
  }
}

const SAMPLES = [
  '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n',
  '[remote "origin"]\n\turl = ../upstream.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/main\n',
  '[core] fsmonitor = touch x',
  '[CORE]\n\tFsMonitor = "touch /x" \\\n\t\t\n',
  '[core]\n\tfsmonitor = to\\\nuch x # comment\n',
  '[core]\n\tfsmonitor = "a;b"#c\n',
  '[core]\n\tfsmonitor\n',
  '[core]\n\tfsmonitor = a \\t b\n',
  '[core]\n\tfsmonitor = "unterminated\n',
  '[core]\n\tfsmonitor = bad \\q escape\n',
  '[core.x]\n\tkey = legacy\n',
  '[Core.Hooks]\n\tpath = legacy lower-cased\n',
  '[filter "Evil.Sub"]\n\tclean = x\n',
  '[filter "a\\"b\\\\c\\d"]\n\tclean = x\n',
  '[filter  "spaced"]\n\tclean = x\n',
  '[filter "x" ]\n\tclean = x\n',
  '[filter x]\n\tclean = x\n',
  '[include]path=evil\n',
  '\uFEFF[core]\n\tfsmonitor = bom\n',
  '[core]\r\n\tfsmonitor = crlf\r\n',
  'key = outside\n',
  '[core]\n\tkey ; comment\n',
  '[core]\n\t1key = digit\n',
  '[core]\n\tkey-with-dash = v\n',
  '[core] ; comment\n\tk = v ; trailing\n',
  '[a]\n\tk = "quoted"  spaces  inside  \n',
  '[a]\nk=\n',
  '[a]\n#\\\nk = hidden?\n',
  '[a]\n\tk = v #\\\n\tj = w\n',
  '[a]\n\tk = "\\\n"\n',
  '[]\n\tk = v\n',
  '[.a]\n\tk = v\n',
  '[a.]\n\tk = v\n',
  '[a.b "c"]\n\tk = v\n',
  '[a "b\nc"]\n\tk = v\n',
];

describe('parseGitConfig', () => {
  it.each(SAMPLES.map((sample) => [sample]))('reads %j as git 2.39 does, or refuses it', (sample) => {
    const ours = oursReading(sample);
    // Refusing what git would read is allowed (fail closed); reading it differently is not.
    if (ours !== undefined) expect(ours).toEqual(gitsReading(sample));
  });

  it('refuses NUL and a lone carriage return', () => {
    expect(() => parseGitConfig('[core]\n\tk = a\0b\n')).toThrow('NUL');
    expect(() => parseGitConfig('[core]\n\tk = a\rb\n')).toThrow('carriage return');
  });
});

describe('refusedGitSettings', () => {
  it('allows what git init, clone, remote add, branch --set-upstream-to and a user name write', () => {
    const config =
      '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n' +
      '[remote "origin"]\n\turl = ../upstream.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n' +
      '[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/main\n[user]\n\tname = A\n\temail = a@example.com\n[init]\n\tdefaultBranch = main\n' +
      '[submodule "lib"]\n\turl = ../lib.git\n\tactive = true\n[core]\n\tautocrlf = input\n[pull]\n\trebase = false\n';
    expect(refusedGitSettings(config)).toEqual([]);
  });

  it.each([
    ['[core]\n\tfsmonitor = ./watch.sh', 'core.fsmonitor'],
    ['[core]\n\tfsmonitor = false', 'core.fsmonitor'],
    ['[core]\n\tHooksPath = .githooks', 'core.hookspath'],
    ['[core]\n\tpager = evil', 'core.pager'],
    ['[core]\n\teditor = evil', 'core.editor'],
    ['[core]\n\tsshCommand = ssh -oProxyCommand=evil', 'core.sshcommand'],
    ['[core]\n\tworktree = /', 'core.worktree'],
    ['[core]\n\tattributesFile = x', 'core.attributesfile'],
    ['[remote "origin"]\n\tuploadpack = touch /workspace/pwned', 'remote.origin.uploadpack'],
    ['[remote.origin]\n\treceivepack = evil', 'remote.origin.receivepack'],
    ['[remote "origin"]\n\turl = ext::sh -c touch% /x', 'remote.origin.url'],
    ['[remote "origin"]\n\tpushurl = fd::3', 'remote.origin.pushurl'],
    ['[branch "main"]\n\tremote = ext::sh', 'branch.main.remote'],
    ['[include]\n\tpath = ../evil.config', 'include.path'],
    ['[includeIf "gitdir:/"]\n\tpath = evil', 'includeif.gitdir:/.path'],
    ['[filter "lfs"]\n\tclean = git-lfs clean -- %f', 'filter.lfs.clean'],
    ['[diff "img"]\n\ttextconv = exiftool', 'diff.img.textconv'],
    ['[diff "img"]\n\tcommand = evil', 'diff.img.command'],
    ['[diff]\n\texternal = evil', 'diff.external'],
    ['[merge "ours"]\n\tdriver = evil %A', 'merge.ours.driver'],
    ['[credential]\n\thelper = !evil', 'credential.helper'],
    ['[protocol "ext"]\n\tallow = always', 'protocol.ext.allow'],
    ['[alias]\n\tst = !evil', 'alias.st'],
    ['[extensions]\n\tworktreeConfig = true', 'extensions.worktreeconfig'],
    ['[pager]\n\tlog = evil', 'pager.log'],
    ['[gpg]\n\tprogram = evil', 'gpg.program'],
    ['[uploadpack]\n\tpackObjectsHook = evil', 'uploadpack.packobjectshook'],
    ['[submodule "x"]\n\tupdate = !evil', 'submodule.x.update'],
    ['[url "ext::"]\n\tinsteadOf = https://', 'url.ext::.insteadof'],
    ['[user]\n\tname = ok\n[core] fsmonitor = x', 'core.fsmonitor'],
  ])('refuses %j (%s)', (config, setting) => {
    expect(refusedGitSettings(config)).toEqual([setting]);
  });

  it('ignores comments, and throws on what it cannot read', () => {
    expect(refusedGitSettings('# [core]\n; fsmonitor = evil\n[user]\n\tname = x # fsmonitor = y')).toEqual([]);
    expect(() => refusedGitSettings('[core]\n\tfsmonitor = "open')).toThrow('unterminated quote');
  });
});

describe('the safety settings', () => {
  it('are given as command-line config and as a config file git reads back the same', () => {
    const env = gitSafetyEnvironment('/etc/aegis/gitconfig');
    expect(env).toMatchObject({
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/etc/aegis/gitconfig',
      GIT_CONFIG_COUNT: String(GIT_SAFETY_SETTINGS.length),
    });
    expect(GIT_SAFETY_SETTINGS.map((_, index) => [env[`GIT_CONFIG_KEY_${index}`], env[`GIT_CONFIG_VALUE_${index}`]])).toEqual(
      GIT_SAFETY_SETTINGS,
    );
    const fromFile = gitsReading(gitSafetyConfigText());
    // Every subsection here is lower-case already, so git's spelling is the key lower-cased.
    expect(fromFile?.sort()).toEqual(GIT_SAFETY_SETTINGS.map(([key, value]) => `${key.toLowerCase()}=${value}`).sort());
  });

  it('stop hooks, fsmonitor and HOME config in a real git, also where the repository sets them', () => {
    const repo = join(scratch, 'hooked');
    execFileSync('git', ['init', '-q', repo], { env: HOST_GIT_ENV });
    const marker = join(scratch, 'ran');
    writeFileSync(join(repo, '.git', 'hooks', 'pre-commit'), `#!/bin/sh\ntouch ${marker}-hook\n`, { mode: 0o755 });
    writeFileSync(join(repo, '.git', 'config'), `[core]\n\tfsmonitor = touch ${marker}-fsmonitor\n\thooksPath = .git/hooks\n`);
    const home = join(scratch, 'home');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, '.gitconfig'), `[core]\n\tfsmonitor = touch ${marker}-home\n`);
    const globalFile = join(scratch, 'global');
    writeFileSync(globalFile, gitSafetyConfigText());
    const env = { PATH: HOST_GIT_ENV.PATH, HOME: home, ...gitSafetyEnvironment(globalFile) };
    execFileSync('git', ['-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-q', '--allow-empty', '-m', 'x'], { cwd: repo, env });
    execFileSync('git', ['status'], { cwd: repo, env });
    // A nested repository added as a gitlink, whose own config has a clean filter: status must not look inside.
    const nested = join(repo, 'nested');
    execFileSync('git', ['init', '-q', nested], { env: HOST_GIT_ENV });
    writeFileSync(join(nested, 'f.txt'), 'a\n');
    writeFileSync(join(nested, '.gitattributes'), '*.txt filter=evil\n');
    execFileSync('git', ['add', '.'], { cwd: nested, env: HOST_GIT_ENV });
    execFileSync('git', ['-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-q', '-m', 'n'], { cwd: nested, env: HOST_GIT_ENV });
    writeFileSync(join(nested, '.git', 'config'), `[filter "evil"]\n\tclean = touch ${marker}-nested\n`);
    execFileSync('git', ['add', 'nested'], { cwd: repo, env });
    writeFileSync(join(nested, 'f.txt'), 'b\n');
    execFileSync('git', ['status'], { cwd: repo, env });
    execFileSync('git', ['diff'], { cwd: repo, env });
    expect(spawnSync('ls', [scratch], { encoding: 'utf8' }).stdout).not.toContain('ran');
  });
});

describe('checkGitRepository', () => {
  const workspace = join(scratch, 'workspace');
  const init = (name: string) => {
    execFileSync('git', ['init', '-q', join(workspace, name)], { env: HOST_GIT_ENV });
    return join(workspace, name);
  };
  mkdirSync(workspace, { recursive: true });
  const good = init('good');
  mkdirSync(join(good, 'deep', 'er'), { recursive: true });
  const evil = init('evil');
  writeFileSync(join(evil, '.git', 'config'), '[core]\n\tfsmonitor = evil\n');
  mkdirSync(join(evil, 'sub'));
  const inner = init('evil/inner');
  const linked = join(workspace, 'linked');
  mkdirSync(linked);
  writeFileSync(join(linked, '.git'), 'gitdir: ../good/.git\n');
  const symlinked = join(workspace, 'symlinked');
  mkdirSync(symlinked);
  symlinkSync(join(good, '.git'), join(symlinked, '.git'));
  const common = init('common');
  writeFileSync(join(common, '.git', 'commondir'), '../../evil/.git\n');
  const worktreeConfig = init('worktree-config');
  writeFileSync(join(worktreeConfig, '.git', 'config.worktree'), '[core]\n\tfsmonitor = evil\n');
  const configLink = init('config-link');
  rmSync(join(configLink, '.git', 'config'));
  symlinkSync(join(good, '.git', 'config'), join(configLink, '.git', 'config'));
  const plain = join(workspace, 'plain');
  mkdirSync(plain);
  const legacyRemote = init('legacy-remote');
  mkdirSync(join(legacyRemote, '.git', 'remotes'), { recursive: true });
  writeFileSync(join(legacyRemote, '.git', 'remotes', 'origin'), 'URL: ../evil.git\n');

  it('accepts a plain repository from its root and its subfolders, and folders outside any repository', () => {
    expect(() => checkGitRepository(workspace, good)).not.toThrow();
    expect(() => checkGitRepository(workspace, join(good, 'deep', 'er'))).not.toThrow();
    expect(() => checkGitRepository(workspace, plain)).not.toThrow();
  });

  it.each([
    ['evil', 'evil/.git/config sets core.fsmonitor'],
    ['evil/sub', 'evil/.git/config sets core.fsmonitor'],
    // git would stop at the inner repository, but an outer one is checked too: stricter is safer.
    ['evil/inner', 'evil/.git/config sets core.fsmonitor'],
    ['evil/.git', 'evil/.git/config sets core.fsmonitor'],
    ['linked', 'linked/.git is a gitdir link file'],
    ['symlinked', 'symlinked/.git is a symbolic link'],
    ['common', 'common/.git/commondir would make git read config from elsewhere'],
    ['worktree-config', 'worktree-config/.git/config.worktree would make git read config from elsewhere'],
    ['config-link', 'config-link/.git/config is not a plain file'],
    ['legacy-remote', 'legacy-remote/.git/remotes defines remotes outside the config'],
  ])('refuses git in %s', (dir, message) => {
    const refused = refusalOf(() => checkGitRepository(workspace, join(workspace, dir)));
    expect(refused?.code).toBe('COMMAND_REFUSED');
    expect(refused?.message).toContain(message);
  });

  it('was given a real inner repository', () => {
    expect(inner).toBe(join(workspace, 'evil', 'inner'));
  });
});

describe('checkGitArguments', () => {
  it.each([
    ['git', 'pull', '--recurse-submodules'],
    ['git', 'checkout', '--recurse-sub=yes', 'x'],
    ['git', 'clone', '--recursive', 'a', 'b'],
    ['git', 'pull', '--rec'],
    ['git', 'status', '--ignore-submodules=none'],
    ['git', 'diff', '--ignore-sub=dirty'],
  ])('refuses %j', (...argv) => {
    expect(refusalOf(() => checkGitArguments(argv))?.code).toBe('COMMAND_REFUSED');
  });

  it.each([
    ['git', 'pull', '--no-recurse-submodules'],
    ['git', 'log', '--', '--recursive'],
    ['git', 'status'],
    ['git', 'branch', '-r'],
    ['git', 'status', '--ignore-submodules'],
    ['git', 'status', '--ignore-submodules=all'],
  ])('accepts %j', (...argv) => {
    expect(() => checkGitArguments(argv)).not.toThrow();
  });
});

describe('checkGitRemotes', () => {
  const workspace = join(scratch, 'remotes');
  const git = (...args: string[]) => execFileSync('git', args, { env: HOST_GIT_ENV });
  mkdirSync(workspace, { recursive: true });
  git('init', '-q', '--bare', join(workspace, 'good.git'));
  git('init', '-q', '--bare', join(workspace, 'hooked.git'));
  writeFileSync(join(workspace, 'hooked.git', 'config'), '[core]\n\tbare = true\n\thooksPath = /workspace/evil-hooks\n');
  git('init', '-q', join(workspace, 'worktree-remote'));
  writeFileSync(join(workspace, 'worktree-remote', '.git', 'config'), '[core]\n\tfsmonitor = evil\n');
  const local = join(workspace, 'local');
  git('init', '-q', local);
  writeFileSync(
    join(local, '.git', 'config'),
    '[remote "good"]\n\turl = ../good.git\n[remote "net"]\n\turl = https://example.com/x.git\n[remote "scp"]\n\turl = host:hooked.git\n',
  );
  mkdirSync(join(local, 'sub'));
  const check = (argv: string[], cwd = local) => refusalOf(() => checkGitRemotes(workspace, cwd, argv, '/workspace'));

  it('accepts remotes whose config is allowed, network remotes and commands that reach no other repository', () => {
    expect(check(['git', 'fetch', 'good'])).toBeUndefined();
    expect(check(['git', 'push', '../good.git', 'main'])).toBeUndefined();
    expect(check(['git', 'pull', '/workspace/good.git'], join(local, 'sub'))).toBeUndefined();
    expect(check(['git', 'status', '../hooked.git'])).toBeUndefined();
  });

  it.each([
    [['git', 'push', '../hooked.git', 'main'], 'hooked.git/config sets core.hookspath'],
    [['git', 'push', '../hooked', 'main'], 'hooked.git/config sets core.hookspath'],
    [['git', 'fetch', '/workspace/hooked.git'], 'hooked.git/config sets core.hookspath'],
    [['git', 'pull', 'file:///workspace/worktree-remote'], 'worktree-remote/.git/config sets core.fsmonitor'],
  ])('refuses %j', (argv, message) => {
    expect(check(argv)?.message).toContain(message);
  });

  it('checks the remotes the repository config names', () => {
    writeFileSync(join(local, '.git', 'config'), '[remote "origin"]\n\turl = ../hooked.git\n');
    expect(check(['git', 'push'])?.message).toContain('hooked.git/config sets core.hookspath');
    expect(check(['git', 'fetch'], join(local, 'sub'))?.code).toBe('COMMAND_REFUSED');
  });
});
