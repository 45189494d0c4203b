import { posix } from 'node:path';
import { CP, DATE, FILE, GZIP, MKDIR, MV, SORT, TAR, TOUCH, UNIQ } from './option-grammars';
import { has, lastValue, type OptionGrammar, type ParsedArguments, parseArguments, unknownOptions, valuesOf } from './option-parser';
import { SANDBOX_WORKSPACE } from './sandbox-limits';

/**
 * What an allowlisted program may do to the file system with these arguments (docs/governance.md
 * "Classes from arguments"). Each writing program's options are those of both implementations the
 * sandboxes run: GNU coreutils/tar/gzip/file on bwrap, busybox applets in the Docker image.
 */
export type WriteKind =
  /** Makes something new and never replaces what exists (mkdir, cp -n, sort -T's temporary files). */
  | 'create'
  /** Creates the path, or replaces it when it exists (uniq IN OUT, sort -o, cp and mv destinations). */
  | 'output'
  /** May replace something existing whose name the arguments do not give (gunzip -N, tar --remove-files under -C). */
  | 'overwrite'
  /** Removes the path (gzip's input, rm, a source moved out of the workspace). */
  | 'remove'
  /** The name goes away; the content lives on under another name in the workspace (mv's sources). */
  | 'move'
  /** Changes times only (touch, file -p). */
  | 'times'
  /** Changes what exists in place (truncate, chmod). */
  | 'modify'
  /** Makes a link to another file (ln, cp -s, cp -l). */
  | 'link';

export interface WriteEffect {
  kind: WriteKind;
  /** As written in argv: relative to the command's working directory, or absolute inside the sandbox. */
  path: string;
  /** When `path` is an existing directory, the names the command writes inside it (`cp SRC DIR`). */
  inside?: readonly string[];
}

export interface CommandEffects {
  writes: WriteEffect[];
  /** Why what the command writes cannot be read from its arguments (python3, an option not in the tables below). */
  unknown?: string;
  /** Why no role may run it: the executor refuses it (an archive extracted, the clock set). */
  refusal?: string;
}

/** Operands without their options, for programs classed by name whatever they are given (rm, chmod …). */
function plainOperands(args: readonly string[]): string[] {
  const dashes = args.indexOf('--');
  const before = dashes === -1 ? args : args.slice(0, dashes);
  const after = dashes === -1 ? [] : args.slice(dashes + 1);
  return [...before.filter((arg) => arg === '-' || !arg.startsWith('-')), ...after];
}

function insideWorkspace(path: string): boolean {
  return !path.startsWith('/') || path === SANDBOX_WORKSPACE || path.startsWith(`${SANDBOX_WORKSPACE}/`);
}

function baseName(path: string): string {
  return posix.basename(path.replace(/\/+$/, '')) || path;
}

/** cp and mv: where each source lands (`-t DIR`, `-T DEST`, or the last operand). */
function destinations(parsed: ParsedArguments, kind: WriteKind): { destination?: string; sources: string[]; effect?: WriteEffect } {
  const parents = has(parsed, '--parents');
  const target = lastValue(parsed, '-t', '--target-directory');
  const named = (sources: string[]) => sources.map((source) => (parents ? source.replace(/^\/+/, '') : baseName(source)));
  if (target !== undefined) {
    return { destination: target, sources: parsed.operands, effect: { kind, path: target, inside: named(parsed.operands) } };
  }
  if (parsed.operands.length < 2) return { sources: [] };
  const destination = parsed.operands.at(-1) as string;
  const sources = parsed.operands.slice(0, -1);
  if (has(parsed, '-T', '--no-target-directory')) return { destination, sources, effect: { kind, path: destination } };
  return { destination, sources, effect: { kind, path: destination, inside: named(sources) } };
}

function neverReplaces(parsed: ParsedArguments): boolean {
  const update = valuesOf(parsed, '--update').at(-1);
  return has(parsed, '-n', '--no-clobber') || update === 'none' || update === 'none-fail';
}

function cpEffects(args: readonly string[]): CommandEffects {
  const parsed = parseArguments(args, CP);
  const links = has(parsed, '-l', '-s', '--link', '--symbolic-link');
  const kind: WriteKind = links ? 'link' : neverReplaces(parsed) ? 'create' : 'output';
  const { effect } = destinations(parsed, kind);
  return { writes: effect ? [effect] : [], unknown: unknownOptions('cp', parsed) };
}

function mvEffects(args: readonly string[]): CommandEffects {
  const parsed = parseArguments(args, MV);
  const exchange = has(parsed, '--exchange');
  const { destination, sources, effect } = destinations(parsed, exchange ? 'output' : neverReplaces(parsed) ? 'create' : 'output');
  if (!effect || destination === undefined) return { writes: [], unknown: unknownOptions('mv', parsed) };
  // A source moved out of the workspace (to the sandbox's own /tmp) is gone from it: a removal.
  const sourceKind: WriteKind = exchange ? 'output' : insideWorkspace(destination) ? 'move' : 'remove';
  return { writes: [effect, ...sources.map((path) => ({ kind: sourceKind, path }))], unknown: unknownOptions('mv', parsed) };
}

const GZIP_SUFFIXES = ['.gz', '-gz', '.z', '-z', '_z', '.Z'];

function decompressedName(file: string, suffix: string | undefined): string | undefined {
  for (const known of suffix ? [suffix, ...GZIP_SUFFIXES] : GZIP_SUFFIXES) {
    if (file.length > known.length && file.endsWith(known)) return file.slice(0, -known.length);
  }
  if (/\.t[ag]z$/.test(file)) return `${file.slice(0, -4)}.tar`;
  return undefined;
}

function gzipEffects(args: readonly string[], decompressing: boolean): CommandEffects {
  const parsed = parseArguments(args, GZIP);
  const unknown = unknownOptions('gzip', parsed);
  const files = parsed.operands.filter((operand) => operand !== '-');
  if (has(parsed, '-c', '--stdout', '--to-stdout', '-t', '--test', '-l', '--list') || files.length === 0) return { writes: [], unknown };
  const decompress = decompressing || has(parsed, '-d', '--decompress', '--uncompress');
  const keep = has(parsed, '-k', '--keep');
  const suffix = lastValue(parsed, '-S', '--suffix');
  const writes: WriteEffect[] = [];
  for (const file of files) {
    if (has(parsed, '-r', '--recursive')) {
      writes.push({ kind: keep ? 'overwrite' : 'remove', path: file });
      continue;
    }
    if (decompress) {
      const output = decompressedName(file, suffix);
      if (output === undefined) continue;
      // -N takes the output's name from inside the file: it may be any name in that directory.
      writes.push(has(parsed, '-N', '--name') ? { kind: 'overwrite', path: posix.dirname(file) } : { kind: 'output', path: output });
    } else {
      writes.push({ kind: 'output', path: `${file}${suffix ?? '.gz'}` });
    }
    if (!keep) writes.push({ kind: 'remove', path: file });
  }
  return { writes, unknown };
}

const TAR_MODES: Readonly<Record<string, string>> = {
  '-c': 'create',
  '--create': 'create',
  '-x': 'extract',
  '--extract': 'extract',
  '--get': 'extract',
  '-t': 'list',
  '--list': 'list',
  '-d': 'diff',
  '--diff': 'diff',
  '--compare': 'diff',
  '--test-label': 'list',
  '-r': 'append',
  '--append': 'append',
  '-u': 'append',
  '--update': 'append',
  '-A': 'append',
  '--catenate': 'append',
  '--concatenate': 'append',
  '--delete': 'append',
};

function tarEffects(args: readonly string[]): CommandEffects {
  const parsed = parseArguments(args, TAR, true);
  const unknown = unknownOptions('tar', parsed);
  // An option tar reads differently (an abbreviation this table resolves otherwise) could hide an extraction.
  if (unknown) return { writes: [], refusal: unknown };
  const modes = new Set(parsed.options.map((option) => TAR_MODES[option.name]).filter((mode) => mode !== undefined));
  const archive = lastValue(parsed, '-f', '--file') ?? '-';
  if (archive.includes(':') && !has(parsed, '--force-local')) {
    return { writes: [], refusal: `tar treats '${archive}' as a remote archive and runs a remote shell for it` };
  }
  if (modes.has('extract') && !has(parsed, '-O', '--to-stdout')) {
    return {
      writes: [],
      refusal:
        'tar extraction writes whatever the archive holds (any name, .git/… and links included), which no argument shows: list it with -t or print it with -O',
    };
  }
  const writes: WriteEffect[] = [];
  if (archive !== '-' && (modes.has('create') || modes.has('append'))) writes.push({ kind: 'output', path: archive });
  for (const path of valuesOf(parsed, '-g', '--listed-incremental', '--volno-file')) writes.push({ kind: 'output', path });
  if (has(parsed, '--remove-files')) {
    // Operands are read relative to the -C directories given before them; so are their removals.
    const directory = valuesOf(parsed, '-C', '--directory').reduce((current, next) => posix.join(current, next), '.');
    for (const operand of parsed.operands) writes.push({ kind: 'remove', path: posix.join(directory, operand) });
    if (valuesOf(parsed, '-T', '--files-from').length > 0) writes.push({ kind: 'overwrite', path: directory });
  }
  return { writes };
}

function dateEffects(args: readonly string[]): CommandEffects {
  const parsed = parseArguments(args, DATE);
  const setting = has(parsed, '-s', '--set') || parsed.operands.some((operand) => !operand.startsWith('+'));
  return {
    writes: [],
    unknown: unknownOptions('date', parsed),
    refusal: setting ? 'date with a time operand or -s sets the system clock' : undefined,
  };
}

function fileEffects(args: readonly string[]): CommandEffects {
  const parsed = parseArguments(args, FILE);
  const writes: WriteEffect[] = [];
  if (has(parsed, '-C', '--compile')) {
    // file -C writes NAME.mgc in the working directory for each magic file (default: magic).
    const magic = valuesOf(parsed, '-m', '--magic-file').flatMap((list) => list.split(':'));
    for (const source of magic.length > 0 ? magic : ['magic']) {
      const base = baseName(source);
      writes.push({ kind: 'output', path: base.endsWith('.mgc') ? base : `${base}.mgc` });
    }
  }
  if (has(parsed, '-p', '--preserve-date')) writes.push(...parsed.operands.map((path) => ({ kind: 'times' as const, path })));
  return { writes, unknown: unknownOptions('file', parsed) };
}

function sortEffects(args: readonly string[]): CommandEffects {
  const parsed = parseArguments(args, SORT);
  const writes: WriteEffect[] = valuesOf(parsed, '-o', '--output').map((path) => ({ kind: 'output', path }));
  for (const path of valuesOf(parsed, '-T', '--temporary-directory')) writes.push({ kind: 'create', path });
  return { writes, unknown: unknownOptions('sort', parsed) };
}

function uniqEffects(args: readonly string[]): CommandEffects {
  const parsed = parseArguments(args, UNIQ);
  const output = parsed.operands[1];
  return {
    writes: output !== undefined && output !== '-' ? [{ kind: 'output', path: output }] : [],
    unknown: unknownOptions('uniq', parsed),
  };
}

function operandEffects(program: string, args: readonly string[], grammar: OptionGrammar, kind: WriteKind): CommandEffects {
  const parsed = parseArguments(args, grammar);
  return { writes: parsed.operands.map((path) => ({ kind, path })), unknown: unknownOptions(program, parsed) };
}

const READ_ONLY: CommandEffects = { writes: [] };

/**
 * The programs that can write, and how. Every other allowlisted program writes nothing whatever its
 * options (find's writing actions and git are refused or classed elsewhere).
 */
const EFFECTS: Readonly<Record<string, (args: readonly string[]) => CommandEffects>> = {
  sort: sortEffects,
  uniq: uniqEffects,
  file: fileEffects,
  date: dateEffects,
  mkdir: (args) => operandEffects('mkdir', args, MKDIR, 'create'),
  touch: (args) => operandEffects('touch', args, TOUCH, 'times'),
  cp: cpEffects,
  mv: mvEffects,
  tar: tarEffects,
  gzip: (args) => gzipEffects(args, false),
  gunzip: (args) => gzipEffects(args, true),
  python3: () => ({ writes: [], unknown: 'what python3 writes is in its code, not in its arguments' }),
  rm: (args) => ({ writes: plainOperands(args).map((path) => ({ kind: 'remove', path })) }),
  rmdir: (args) => ({ writes: plainOperands(args).map((path) => ({ kind: 'remove', path })) }),
  chmod: (args) => ({ writes: plainOperands(args).map((path) => ({ kind: 'modify', path })) }),
  truncate: (args) => ({ writes: plainOperands(args).map((path) => ({ kind: 'modify', path })) }),
  ln: (args) => ({ writes: plainOperands(args).map((path) => ({ kind: 'link', path })) }),
};

/** Programs that may write something for some arguments (the .git rule applies to them). */
export const WRITING_PROGRAMS: readonly string[] = Object.keys(EFFECTS).filter((program) => program !== 'date');

/** What argv may write, without looking at the file system. git is classed by its subcommand instead. */
export function commandEffects(argv: readonly string[]): CommandEffects {
  const [program = '', ...args] = argv;
  const effects = Object.hasOwn(EFFECTS, program) ? EFFECTS[program](args) : READ_ONLY;
  return {
    writes: effects.writes,
    ...(effects.unknown ? { unknown: effects.unknown } : {}),
    ...(effects.refusal ? { refusal: effects.refusal } : {}),
  };
}

/** Whether the command may write anything at all with these arguments. */
export function mayWrite(effects: CommandEffects): boolean {
  return effects.writes.length > 0 || effects.unknown !== undefined;
}
