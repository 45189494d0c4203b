import { Role } from '@aegis/contracts';
import { allowedPrograms, allowedSubcommands, authorizeArgv } from './program-allowlist';

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
    [Role.Operator, ['tar', 'xzf', 'in.tgz']],
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
    expect(() => authorizeArgv(['touch', 'x'], Role.Viewer)).toThrow("'touch' is not an allowed program for the viewer role (needs operator)");
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
    [Role.Viewer, ['sort', '-o', 'out', 'in'], /-o/],
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
  ])('keeps path arguments in the workspace: %j', (...argv) => {
    expect(() => authorizeArgv(argv, Role.Admin)).toThrow(code('PATH_OUTSIDE_WORKSPACE'));
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
