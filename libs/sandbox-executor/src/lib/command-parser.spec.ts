import { checkArgv, MAX_ARGS, MAX_ARG_LENGTH, MAX_COMMAND_LENGTH, parseCommand } from './command-parser';

const refusal = (code = 'COMMAND_REFUSED') => expect.objectContaining({ code }) as Error;

describe('parseCommand', () => {
  it.each([
    ['ls -la', ['ls', '-la']],
    ['  ls   -la  ', ['ls', '-la']],
    ["git log --format='%h %s' -n 5", ['git', 'log', '--format=%h %s', '-n', '5']],
    ['grep "two words" notes.txt', ['grep', 'two words', 'notes.txt']],
    ["find . -name '*.ts'", ['find', '.', '-name', '*.ts']],
    ['cat my\\ file.txt', ['cat', 'my file.txt']],
    ["echo '$HOME'", ['echo', '$HOME']],
    ['git diff HEAD~1..HEAD', ['git', 'diff', 'HEAD~1..HEAD']],
    ['echo héllo 日本', ['echo', 'héllo', '日本']],
    ["grep ''", ['grep', '']],
    ['ls [ab] {c,d} ~root', ['ls', '[ab]', '{c,d}', '~root']],
    ['echo "say \\"hi\\""', ['echo', 'say "hi"']],
  ])('splits %j without a shell', (command, argv) => {
    expect(parseCommand(command)).toEqual(argv);
  });

  it.each([
    ['ls *.ts', /Globs are not expanded/],
    ['cat notes?.txt', /Globs/],
    ['ls # rm -rf /', /Comments/],
    ['echo $HOME', /Variables are not expanded \(\$HOME\)/],
    ['echo ${PATH}', /Variables/],
    ['echo "$USER"', /Variables/],
    ['ls &', /operator "&"/],
    ['(ls)', /operator/],
    ['ls; rm -rf /', /contains ";"/],
    ['true && reboot', /contains "&&"/],
    ['lscpu | head', /contains "\|"/],
    ['echo `id`', /contains "`"/],
    ['echo $(id)', /contains "\$\("/],
    ['cat a > b', /contains ">"/],
    ['sort < a', /contains "<"/],
    ['ls\nreboot', /contains "\\n"/],
    ['ls\0reboot', /contains "\\u0000"/],
    ["echo $'a\\x3bb'", /ANSI-C quoting/],
    ["echo $'\\n'", /ANSI-C quoting/],
    ['ls\t-la', /control or invisible character U\+0009/],
    ['ls；rm', /U\+FF1B, a look-alike of the shell character ";"/],
    ['echo ＄(id)', /U\+FF04/],
    ['ls\u200b-la', /U\+200B/],
    ['ls\u202e-la', /U\+202E/],
    ['ls\u3000-la', /U\+3000/],
    ['echo "unterminated', /unterminated double quote/],
    ["echo 'unterminated", /unterminated single quote/],
    ['echo trailing\\', /ends with a backslash/],
  ])('refuses %j', (command, message) => {
    expect(() => parseCommand(command)).toThrow(refusal());
    expect(() => parseCommand(command)).toThrow(message);
  });

  it('bounds the length of a command', () => {
    expect(() => parseCommand(`echo ${'a'.repeat(MAX_COMMAND_LENGTH)}`)).toThrow(/longer than/);
  });
});

describe('checkArgv', () => {
  it('accepts plain strings, spaces and quotes included (no shell reads them)', () => {
    expect(checkArgv(['grep', '-e', 'it\'s "quoted"', 'a b.txt'])).toEqual(['grep', '-e', 'it\'s "quoted"', 'a b.txt']);
  });

  it.each([
    [[], /empty/],
    [['ls', 'a;b'], /Argument 1 contains ";"/],
    [['ls', '$(id)'], /"\$\("/],
    [['echo', 'a\nb'], /"\\n"/],
    [['echo', 'a\0b'], /"\\u0000"/],
    [['echo', 'a\tb'], /U\+0009/],
    [['ls', 'a＆＆b'], /U\+FF06/],
    [['ls', 3], /not a string/],
    [['l\u00ads'], /The program name contains the control or invisible character U\+00AD/],
  ])('refuses %j', (argv, message) => {
    expect(() => checkArgv(argv)).toThrow(refusal());
    expect(() => checkArgv(argv)).toThrow(message);
  });

  it('bounds the number and length of arguments', () => {
    expect(() => checkArgv(['echo', ...Array.from({ length: MAX_ARGS }, () => 'a')])).toThrow(/arguments/);
    expect(() => checkArgv(['echo', 'a'.repeat(MAX_ARG_LENGTH + 1)])).toThrow(/longer than/);
  });
});
