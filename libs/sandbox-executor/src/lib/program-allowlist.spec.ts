import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@aegis/contracts';
import { allowedPrograms, allowedSubcommands, authorizeArgv, pathForms } from './program-allowlist';

const code = (value: string) => expect.objectContaining({ code: value }) as Error;

describe('authorizeArgv', () => {
  it.each([
    [Role.Viewer, ['ls', '-la']],
    [Role.Viewer, ['cat', 'README.md']],
    [Role.Viewer, ['grep', '-rn', 'TODO', 'src']],
    [Role.Viewer, ['find', '.', '-name', '*.ts', '-type', 'f']],
    [Role.Viewer, ['git', 'status']],
    [Role.Viewer, ['git', 'log', '--oneline', '-n', '5']],
    [Role.Viewer, ['git', 'diff', 'HEAD~1..HEAD']],
    [Role.Viewer, ['git', 'show', 'HEAD', '--stat']],
    [Role.Viewer, ['git', 'log', '-Sneedle']],
    [Role.Viewer, ['du', '-sh', '/workspace/repo']],
    [Role.Viewer, ['cat', '/proc/loadavg']],
    [Role.Viewer, ['date', '-u']],
    [Role.Viewer, ['df', '-h']],
    [Role.Operator, ['git', 'pull', '--ff-only']],
    [Role.Operator, ['git', 'commit', '-m', 'message with spaces']],
    [Role.Operator, ['mkdir', '-p', 'a/b']],
    [Role.Operator, ['tar', '-czf', 'out.tgz', 'src']],
    [Role.Operator, ['tar', 'tzf', 'in.tgz']],
    [Role.Operator, ['tar', '-xOf', 'in.tar']],
    [Role.Operator, ['tar', '--extract', '--to-stdout', '--file=in.tar']],
    [Role.Viewer, ['sort', '-o', 'out', 'in']],
    [Role.Viewer, ['cat', '/proc/cpuinfo']],
    [Role.Viewer, ['cat', '/dev/null']],
    [Role.Viewer, ['date', '+%Y-%m-%d']],
    [Role.Viewer, ['date', '-d', '@0', '+%s']],
    [Role.Viewer, ['cat', '.git/config']],
    [Role.Viewer, ['git', 'log', '--format=%h:%s']],
    [Role.Operator, ['git', 'add', '.gitignore']],
    [Role.Operator, ['cp', '.gitignore', 'copy']],
    [Role.Admin, ['git', 'clone', 'https://example.com/x.git']],
    [Role.Operator, ['cp', 'a', 'b']],
    [Role.Admin, ['rm', '-rf', 'build']],
    [Role.Admin, ['chmod', '644', 'file']],
    [Role.Admin, ['git', 'push', 'origin', 'main']],
  ])('%s may run %j', (role, argv) => {
    expect(() => authorizeArgv(argv, role)).not.toThrow();
  });

  it('names the program and the role when a program is not allowed', () => {
    expect(() => authorizeArgv(['nmap', '10.0.0.1'], Role.Admin)).toThrow(code('PROGRAM_NOT_ALLOWED'));
    expect(() => authorizeArgv(['nmap', '10.0.0.1'], Role.Admin)).toThrow("'nmap' is not an allowed program for the admin role");
    expect(() => authorizeArgv(['touch', 'x'], Role.Viewer)).toThrow(
      "'touch' is not an allowed program for the viewer role (needs operator)",
    );
    expect(() => authorizeArgv(['rm', 'x'], Role.Operator)).toThrow(/'rm' is not an allowed program for the operator role/);
  });

  it.each([
    [Role.Viewer, ['git', 'pull'], /'git pull' is not allowed for the viewer role; allowed: diff, log, show, status/],
    [Role.Viewer, ['git', 'commit', '-m', 'x'], /'git commit' is not allowed/],
    [Role.Operator, ['git', 'push'], /'git push' is not allowed for the operator role/],
    [Role.Admin, ['git', 'config', 'core.pager', 'x'], /'git config' is not allowed/],
    [Role.Admin, ['git', 'submodule', 'foreach', 'x'], /'git submodule'/],
    [Role.Viewer, ['git'], /needs a subcommand/],
  ])('applies git subcommand rules: %s %j', (role, argv, message) => {
    expect(() => authorizeArgv(argv, role)).toThrow(code('PROGRAM_NOT_ALLOWED'));
    expect(() => authorizeArgv(argv, role)).toThrow(message);
  });

  it.each([
    [Role.Viewer, ['git', '-c', 'core.sshCommand=touch', 'status'], /options go after the subcommand/],
    [Role.Viewer, ['git', '--git-dir=/tmp/x', 'status'], /options go after/],
    [Role.Viewer, ['git', '-C', 'x', 'status'], /options go after/],
    [Role.Operator, ['git', 'fetch', '--upload-pack=touch', 'origin'], /--upload-pack/],
    [Role.Operator, ['git', 'pull', '--upload-p', 'x'], /--upload-pack/],
    [Role.Viewer, ['git', 'log', '--output=x'], /--output/],
    [Role.Viewer, ['git', 'log', '--outp=x'], /--output/],
    [Role.Viewer, ['git', 'diff', '--ext-diff'], /--ext-diff/],
    [Role.Admin, ['git', 'clone', '-u', 'x', 'repo'], /-u/],
    [Role.Admin, ['git', 'clone', '--config', 'core.sshCommand=x', 'repo'], /--config/],
    [Role.Admin, ['git', 'rebase', '--exec', 'x'], /--exec/],
    [Role.Operator, ['git', 'fetch', 'ext::sh -c x'], /'::'/],
    [Role.Viewer, ['find', '.', '-exec', 'rm', '{}', '+'], /-exec/],
    [Role.Viewer, ['find', '.', '-delete'], /-delete/],
    [Role.Operator, ['tar', '--to-command=sh', '-xf', 'a.tar'], /--to-command/],
    [Role.Operator, ['tar', '--to-com=sh', '-xf', 'a.tar'], /--to-command/],
    [Role.Operator, ['tar', '-I', 'sh', '-cf', 'a', 'b'], /-I/],
    [Role.Operator, ['tar', 'xIf', 'sh', 'a.tar'], /-I/],
    [Role.Viewer, ['date', '-s', '2020-01-01'], /-s/],
    [Role.Viewer, ['date', '-s2020-01-01'], /sets the system clock/],
    [Role.Viewer, ['date', '010100002000'], /sets the system clock/],
    [Role.Operator, ['tar', 'xzf', 'in.tgz'], /extraction/],
    [Role.Operator, ['tar', '-x', '-f', 'in.tar'], /extraction/],
    [Role.Admin, ['tar', '--get', '--file=in.tar'], /extraction/],
    [Role.Operator, ['tar', '-cf', 'host:x.tar', 'a'], /remote archive/],
    [Role.Operator, ['tar', '--frobnicate', '-cf', 'x.tar', 'a'], /--frobnicate/],
    [Role.Operator, ['tar', 'cQf', 'x.tar', 'a'], /-Q/],
    [Role.Operator, ['cp', 'h.sh', '.git/hooks/pre-commit'], /\.git/],
    [Role.Operator, ['cp', '-t.git', 'h.sh'], /\.git/],
    [Role.Operator, ['mv', 'repo/.git', 'x'], /\.git/],
    [Role.Operator, ['touch', 'a/.GIT/x'], /\.git/],
    [Role.Operator, ['mkdir', '--parents', '/workspace/.git/hooks'], /\.git/],
    [Role.Operator, ['python3', 'x.py', '.git'], /\.git/],
    [Role.Admin, ['ln', '-s', 'x', '.git/hooks/pre-commit'], /\.git/],
    [Role.Viewer, ['whoami', 'x'], /at most 0/],
    [Role.Viewer, ['PATH=/x', 'ls'], /environment assignment/],
  ])('refuses dangerous arguments: %s %j', (role, argv, message) => {
    expect(() => authorizeArgv(argv, role)).toThrow(code('COMMAND_REFUSED'));
    expect(() => authorizeArgv(argv, role)).toThrow(message);
  });

  it.each([
    ['/bin/ls', /name it 'ls'/],
    ['./ls', /name it 'ls'/],
    ['/tmp/evil', /given as paths/],
    ['ｌｓ', /not printable ASCII/],
    ['lѕ', /not printable ASCII/],
  ])('refuses the program %j', (program, message) => {
    expect(() => authorizeArgv([program], Role.Admin)).toThrow(code('PROGRAM_NOT_ALLOWED'));
    expect(() => authorizeArgv([program], Role.Admin)).toThrow(message);
  });

  it.each([
    ['ls', '-la', '/etc/../..'],
    ['cat', '../secret'],
    ['cat', '/etc/passwd'],
    ['ls', '/'],
    ['grep', '-r', 'x', '..'],
    ['cat', '/workspace/../etc/passwd'],
    ['ls', '--directory=../x'],
    ['git', 'diff', '../other'],
    ['cat', '/proc/self/root/etc/passwd'],
    ['ls', '/proc/1/cwd'],
    ['cat', '/proc/self/fd/0'],
    ['ls', '/proc'],
    ['ls', '//etc'],
    ['tar', '-C/etc', '-cf', 'x.tar', 'passwd'],
    ['tar', '-C..', '-cf', 'x.tar', 'a'],
    ['tar', '-cvf../x.tar', 'a'],
    ['tar', '--directory=/etc', '-cf', 'x.tar', 'passwd'],
    ['file', '-m', 'a:/etc/magic', 'a'],
    ['sort', '-k1,1', '-T/etc', 'a'],
    ['git', 'pull', 'file:///etc/repo'],
    ['tar', '--exclude=a=/etc', '-cf', 'x.tar', 'a'],
  ])('keeps path arguments in the workspace: %j', (...argv) => {
    expect(() => authorizeArgv(argv, Role.Admin)).toThrow(code('PATH_OUTSIDE_WORKSPACE'));
  });
});

describe('path forms', () => {
  it('reads a path in every form an argument can hold it', () => {
    expect(pathForms('README.md')).toEqual(['README.md']);
    expect(pathForms('--directory=/etc')).toEqual(['--directory=/etc', '/etc']);
    expect(pathForms('-C/etc')).toEqual(['-C/etc', '/etc']);
    expect(pathForms('-xvf/etc/x')).toEqual(expect.arrayContaining(['vf/etc/x', '/etc/x', '/x']));
    expect(pathForms('-f../x')).toEqual(expect.arrayContaining(['../x']));
    expect(pathForms('a:/etc/magic')).toEqual(expect.arrayContaining(['a', '/etc/magic']));
    expect(pathForms('--exclude=a,/b')).toEqual(expect.arrayContaining(['a', '/b']));
    expect(pathForms('https://example.com/x')).toEqual(['https://example.com/x']);
  });
});

describe('writes into .git, followed through the workspace', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-allowlist-'));
  const place = (cwd?: string) => ({ workspaceRoot: workspace, cwd });
  beforeAll(() => {
    mkdirSync(join(workspace, 'repo/.git/hooks'), { recursive: true });
    mkdirSync(join(workspace, 'repo/src'), { recursive: true });
    symlinkSync('repo/.git/hooks', join(workspace, 'hooks-link'));
    symlinkSync('loop', join(workspace, 'loop'));
  });
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('refuses a writing program whose working directory is inside .git', () => {
    expect(() => authorizeArgv(['cp', '/workspace/h.sh', 'pre-commit'], Role.Operator, place('repo/.git/hooks'))).toThrow(
      code('COMMAND_REFUSED'),
    );
    expect(() => authorizeArgv(['touch', 'x'], Role.Operator, place('repo/.git'))).toThrow(/working directory/);
  });

  it('refuses a path that leads into .git through a link', () => {
    expect(() => authorizeArgv(['cp', 'h.sh', 'hooks-link/pre-commit'], Role.Operator, place())).toThrow(/through a link/);
    expect(() => authorizeArgv(['cp', '-thooks-link', 'h.sh'], Role.Operator, place())).toThrow(/through a link/);
    expect(() => authorizeArgv(['cp', 'h.sh', '../hooks-link/x'], Role.Operator, place('repo'))).toThrow(code('PATH_OUTSIDE_WORKSPACE'));
    expect(() => authorizeArgv(['touch', 'loop/x'], Role.Operator, place())).toThrow(/cannot be resolved/);
  });

  it('lets reads, git itself, and writes elsewhere through', () => {
    expect(() => authorizeArgv(['cat', 'hooks-link/pre-commit'], Role.Viewer, place())).not.toThrow();
    expect(() => authorizeArgv(['ls'], Role.Viewer, place('repo/.git'))).not.toThrow();
    expect(() => authorizeArgv(['git', 'status'], Role.Viewer, place('repo/.git'))).not.toThrow();
    expect(() => authorizeArgv(['cp', 'a', 'b'], Role.Operator, place('repo/src'))).not.toThrow();
    expect(() => authorizeArgv(['touch', 'new/deeper/file'], Role.Operator, place())).not.toThrow();
    expect(() => authorizeArgv(['cp', 'a', 'b'], Role.Operator, { workspaceRoot: join(workspace, 'missing') })).not.toThrow();
  });
});

describe('allowlists', () => {
  it('grows with the role', () => {
    const viewer = allowedPrograms(Role.Viewer);
    const operator = allowedPrograms(Role.Operator);
    const admin = allowedPrograms(Role.Admin);
    expect(viewer).toEqual(expect.arrayContaining(['cat', 'git', 'grep', 'ls']));
    expect(viewer).not.toEqual(expect.arrayContaining(['touch']));
    expect(operator).toEqual(expect.arrayContaining([...viewer, 'cp', 'mkdir', 'mv', 'tar', 'touch']));
    expect(operator).not.toContain('rm');
    expect(admin).toEqual(expect.arrayContaining([...operator, 'chmod', 'rm']));
    for (const shell of ['sh', 'bash', 'env', 'xargs', 'sudo', 'awk', 'sed', 'curl', 'wget', 'nc', 'busybox']) {
      expect(admin).not.toContain(shell);
    }
  });

  it('lists git subcommands per role', () => {
    expect(allowedSubcommands('git', Role.Viewer)).toEqual(['diff', 'log', 'show', 'status']);
    expect(allowedSubcommands('git', Role.Operator)).toContain('pull');
    expect(allowedSubcommands('ls', Role.Viewer)).toBeUndefined();
  });
});
