import { spawnSync } from 'node:child_process';
import { commandEffects, mayWrite } from './command-effects';
import { OPTION_GRAMMARS } from './option-grammars';
import type { LongArity, OptionGrammar } from './option-parser';

type ShortArity = 'flag' | 'valued' | 'optional';

interface DocumentedOptions {
  short: Map<string, ShortArity>;
  long: Map<string, LongArity>;
}

function helpOf(argv: string[]): string | undefined {
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (result.error) return undefined;
  return `${result.stdout}${result.stderr}`;
}

/** GNU `--help`: `  -S, --suffix=SUFFIX  text`, `      --backup[=CONTROL]  text`, `  -t STAMP  text`, `  -I[FMT], --iso-8601[=FMT]`. */
function gnuOptions(help: string): DocumentedOptions {
  const documented: DocumentedOptions = { short: new Map(), long: new Map() };
  const shorts: { letter: string; optional: boolean; separate: boolean; longs: string[] }[] = [];
  for (const line of help.split('\n')) {
    if (!/^ {2,6}-[-\w]/.test(line)) continue;
    const tokens = line
      .trim()
      .split(/\s{2,}/)[0]
      .split(/,\s*/);
    const lineLongs = new Map<string, LongArity>();
    for (const token of tokens) {
      const match = /^--([\w-]+)(\[=[^\]]*\]|=\S+| [A-Z]\S*)?$/.exec(token);
      if (!match) continue;
      const [, name, value] = match;
      const arity: LongArity = value === undefined ? 'none' : value.startsWith('[') ? 'optional' : 'required';
      const known = lineLongs.get(name);
      // `--check, --check=diagnose-first`: the value may be left out.
      lineLongs.set(name, known !== undefined && known !== arity ? 'optional' : arity);
    }
    for (const [name, arity] of lineLongs) {
      const known = documented.long.get(name);
      documented.long.set(name, known !== undefined && known !== arity ? 'optional' : arity);
    }
    for (const token of tokens) {
      const match = /^-(\w)(\[\w+\])?( [A-Z]\S*)?$/.exec(token);
      if (match)
        shorts.push({ letter: match[1], optional: match[2] !== undefined, separate: match[3] !== undefined, longs: [...lineLongs.keys()] });
    }
  }
  // A short option takes a value when it says so, or when its long twin always does (`-c, --check, --check=…` does not).
  for (const { letter, optional, separate, longs } of shorts) {
    const pairedRequired = longs.some((name) => documented.long.get(name) === 'required');
    documented.short.set(letter, optional ? 'optional' : separate || pairedRequired ? 'valued' : 'flag');
  }
  return documented;
}

/** busybox `--help`: `\t-t DIR\ttext`, `\t-R,-r\ttext`, `\t--strip-components NUM\ttext`, `\t-I[SPEC]\ttext`, `\t-k N[,M] text`. */
function busyboxOptions(help: string): DocumentedOptions {
  const documented: DocumentedOptions = { short: new Map(), long: new Map() };
  for (const line of help.split('\n')) {
    const match = /^\t((?:-{1,2}[\w-]+)(?:,-{1,2}[\w-]+)*)(\[\w+\])?( [A-Z]\S*)?/.exec(line);
    if (!match) continue;
    const [, names, optional, separate] = match;
    for (const name of names.split(',')) {
      if (name.startsWith('--')) documented.long.set(name.slice(2), separate ? 'required' : 'none');
      else documented.short.set(name.slice(1), optional ? 'optional' : separate ? 'valued' : 'flag');
    }
  }
  return documented;
}

function arityIn(grammar: OptionGrammar, letter: string): ShortArity | undefined {
  if (grammar.valued.includes(letter)) return 'valued';
  if (grammar.optionalValue?.includes(letter)) return 'optional';
  if (grammar.flags.includes(letter) || (grammar.digits && /[0-9]/.test(letter))) return 'flag';
  return undefined;
}

/** Help lines that leave out a value the program does take (file's getopt string has `P:`; its help prints `-P, --parameter`). */
const MISDOCUMENTED = ['file -P', 'file --parameter'];

const IMPLEMENTATIONS: readonly [string, string[], (help: string) => DocumentedOptions][] = Object.keys(OPTION_GRAMMARS).flatMap(
  (program) => [
    [`GNU ${program}`, [program, '--help'], gnuOptions] as [string, string[], (help: string) => DocumentedOptions],
    [`busybox ${program}`, ['busybox', program, '--help'], busyboxOptions] as [string, string[], (help: string) => DocumentedOptions],
  ],
);

describe('option tables against the programs the sandboxes run', () => {
  it.each(IMPLEMENTATIONS)('%s: every documented option is known, with the same arity', (label, argv, parse) => {
    const help = helpOf(argv);
    const program = label.split(' ')[1];
    // A program missing on this machine (busybox has no `file` applet) has nothing to compare.
    if (help === undefined || /applet not found|not found/.test(help.split('\n')[0] ?? '')) return;
    const grammar = OPTION_GRAMMARS[program];
    const documented = parse(help);
    const mismatches: string[] = [];
    for (const [letter, arity] of documented.short) {
      if (letter === '?' || MISDOCUMENTED.includes(`${program} -${letter}`)) continue;
      const known = arityIn(grammar, letter);
      if (known !== arity) mismatches.push(`-${letter}: documented ${arity}, table ${known ?? 'unknown'}`);
    }
    for (const [name, arity] of documented.long) {
      if (MISDOCUMENTED.includes(`${program} --${name}`)) continue;
      const known = Object.hasOwn(grammar.long, name) ? grammar.long[name] : undefined;
      // What matters is whether the next argument is taken as the value: `none` and `optional` never take it.
      if (known === undefined || (known === 'required') !== (arity === 'required'))
        mismatches.push(`--${name}: documented ${arity}, table ${known ?? 'unknown'}`);
    }
    expect(mismatches).toEqual([]);
    expect(documented.short.size + documented.long.size).toBeGreaterThan(0);
  });
});

describe('commandEffects', () => {
  it('finds the output operand and the options that write', () => {
    expect(commandEffects(['uniq', 'in', 'out']).writes).toEqual([{ kind: 'output', path: 'out' }]);
    expect(commandEffects(['uniq', '-f', '1', 'in']).writes).toEqual([]);
    expect(commandEffects(['sort', '-rkoutput', 'in']).writes).toEqual([]);
    expect(commandEffects(['sort', '-ro', 'out', 'in']).writes).toEqual([{ kind: 'output', path: 'out' }]);
    expect(commandEffects(['cp', '-t', 'dir', 'a', 'b']).writes).toEqual([{ kind: 'output', path: 'dir', inside: ['a', 'b'] }]);
    expect(commandEffects(['cp', '--parents', 'x/a', 'dir']).writes).toEqual([{ kind: 'output', path: 'dir', inside: ['x/a'] }]);
    expect(commandEffects(['mv', 'a', '/tmp/b']).writes).toEqual([
      { kind: 'output', path: '/tmp/b', inside: ['a'] },
      { kind: 'remove', path: 'a' },
    ]);
    expect(commandEffects(['gzip', 'a']).writes).toEqual([
      { kind: 'output', path: 'a.gz' },
      { kind: 'remove', path: 'a' },
    ]);
    expect(commandEffects(['gunzip', '-k', 'a.tgz']).writes).toEqual([{ kind: 'output', path: 'a.tar' }]);
    expect(commandEffects(['tar', 'czvf', 'out.tgz', 'src']).writes).toEqual([{ kind: 'output', path: 'out.tgz' }]);
    expect(commandEffects(['tar', '-C', 'dir', '-cf', 'x.tar', '--remove-files', 'a']).writes).toContainEqual({
      kind: 'remove',
      path: 'dir/a',
    });
    expect(commandEffects(['file', '-C', '-m', 'dir/one:two.mgc']).writes).toEqual([
      { kind: 'output', path: 'one.mgc' },
      { kind: 'output', path: 'two.mgc' },
    ]);
  });

  it('marks what it cannot read from the arguments, and refuses what no argument can show', () => {
    expect(commandEffects(['cp', '--frobnicate', 'a', 'b']).unknown).toMatch(/--frobnicate/);
    expect(commandEffects(['python3', 'x.py']).unknown).toMatch(/python3/);
    expect(commandEffects(['tar', 'xf', 'a.tar']).refusal).toMatch(/extraction/);
    expect(commandEffects(['tar', 'xOf', 'a.tar'])).toEqual({ writes: [] });
    expect(commandEffects(['date', '-s', 'now']).refusal).toMatch(/clock/);
    expect(commandEffects(['date', '+%s'])).toEqual({ writes: [] });
  });

  it('says which commands may write at all', () => {
    expect(mayWrite(commandEffects(['ls', '-la']))).toBe(false);
    expect(mayWrite(commandEffects(['sort', 'a']))).toBe(false);
    expect(mayWrite(commandEffects(['sort', '-o', 'b', 'a']))).toBe(true);
    expect(mayWrite(commandEffects(['python3', '-V']))).toBe(true);
    expect(mayWrite(commandEffects(['rm', 'x']))).toBe(true);
  });
});
