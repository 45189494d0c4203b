import { posix } from 'node:path';
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

export type LongArity = 'none' | 'required' | 'optional';

/** The options of one program: what takes a value, so that operands can be told from option values. */
export interface OptionGrammar {
  /** Short options without a value. */
  flags: string;
  /** Short options with a value, attached (`-ofile`) or in the next argument. */
  valued: string;
  /** Short options whose value is optional and only attached (`date -Iseconds`). */
  optionalValue?: string;
  /** `-1` … `-9` and other digits are options (gzip levels, uniq's obsolete -N). */
  digits?: boolean;
  /** Long options (also accepted as unique abbreviations, as getopt_long does). */
  long: Readonly<Record<string, LongArity>>;
}

interface ParsedOption {
  /** `-o` for a short option, `--output` (the full name) for a long one. */
  name: string;
  value?: string;
}

interface ParsedArguments {
  options: ParsedOption[];
  operands: string[];
  /** Arguments that are options the grammar does not know. */
  unknown: string[];
}

function longName(grammar: OptionGrammar, written: string): string | undefined {
  if (Object.hasOwn(grammar.long, written)) return written;
  const candidates = Object.keys(grammar.long).filter((name) => name.startsWith(written));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Splits arguments as getopt_long does (options anywhere, `--` ends them, `-` is an operand). */
function parseArguments(args: readonly string[], grammar: OptionGrammar, firstIsCluster = false): ParsedArguments {
  const parsed: ParsedArguments = { options: [], operands: [], unknown: [] };
  const pending: string[] = [];
  let index = 0;
  const takeValue = (): string | undefined => (index < args.length ? args[index++] : undefined);
  if (firstIsCluster && args.length > 0 && !args[0].startsWith('-')) {
    // tar's old style: `cvf out.tar src` — each letter an option, valued letters take the next arguments in order.
    index = 1;
    for (const letter of args[0]) {
      if (grammar.valued.includes(letter)) pending.push(letter);
      else if (grammar.flags.includes(letter)) parsed.options.push({ name: `-${letter}` });
      else parsed.unknown.push(`-${letter}`);
    }
    for (const letter of pending) parsed.options.push({ name: `-${letter}`, value: takeValue() });
  }
  while (index < args.length) {
    const arg = args[index++];
    if (arg === '--') {
      parsed.operands.push(...args.slice(index));
      break;
    }
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const written = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
      const name = longName(grammar, written);
      if (name === undefined) {
        parsed.unknown.push(arg);
        continue;
      }
      const arity = grammar.long[name];
      if (equals !== -1) {
        if (arity === 'none') parsed.unknown.push(arg);
        parsed.options.push({ name: `--${name}`, value: arg.slice(equals + 1) });
      } else {
        parsed.options.push({ name: `--${name}`, value: arity === 'required' ? takeValue() : undefined });
      }
      continue;
    }
    if (arg.length < 2 || !arg.startsWith('-')) {
      parsed.operands.push(arg);
      continue;
    }
    for (let position = 1; position < arg.length; position++) {
      const letter = arg[position];
      const rest = arg.slice(position + 1);
      if (grammar.valued.includes(letter)) {
        parsed.options.push({ name: `-${letter}`, value: rest !== '' ? rest : takeValue() });
        break;
      }
      if (grammar.optionalValue?.includes(letter)) {
        parsed.options.push({ name: `-${letter}`, value: rest });
        break;
      }
      if (grammar.flags.includes(letter) || (grammar.digits && /[0-9]/.test(letter))) parsed.options.push({ name: `-${letter}` });
      else parsed.unknown.push(`-${letter}`);
    }
  }
  return parsed;
}

const has = (parsed: ParsedArguments, ...names: string[]) => parsed.options.some((option) => names.includes(option.name));
const valuesOf = (parsed: ParsedArguments, ...names: string[]) =>
  parsed.options.filter((option) => names.includes(option.name) && option.value !== undefined).map((option) => option.value as string);
const lastValue = (parsed: ParsedArguments, ...names: string[]) => valuesOf(parsed, ...names).at(-1);

function unknownOptions(program: string, parsed: ParsedArguments): string | undefined {
  if (parsed.unknown.length === 0) return undefined;
  return `${program} ${parsed.unknown.join(' ')}: what this option writes is not known here`;
}

const long = (arity: LongArity, ...names: string[]) => Object.fromEntries(names.map((name) => [name, arity] as const));
const COMMON_LONG = long('none', 'help', 'version');

const SORT: OptionGrammar = {
  flags: 'bcCdfghiMmnRrsuVz',
  valued: 'koStT',
  long: {
    ...COMMON_LONG,
    ...long('none', 'ignore-leading-blanks', 'dictionary-order', 'ignore-case', 'general-numeric-sort', 'ignore-nonprinting', 'month-sort'),
    ...long('none', 'human-numeric-sort', 'numeric-sort', 'random-sort', 'reverse', 'version-sort', 'merge', 'stable', 'unique'),
    ...long('none', 'zero-terminated', 'debug'),
    ...long('required', 'random-source', 'sort', 'batch-size', 'compress-program', 'files0-from', 'key', 'output', 'buffer-size'),
    ...long('required', 'field-separator', 'temporary-directory', 'parallel'),
    check: 'optional',
  },
};

const UNIQ: OptionGrammar = {
  flags: 'cdDiuz',
  valued: 'fsw',
  digits: true,
  long: {
    ...COMMON_LONG,
    ...long('none', 'count', 'repeated', 'ignore-case', 'unique', 'zero-terminated'),
    ...long('optional', 'all-repeated', 'group'),
    ...long('required', 'skip-fields', 'skip-chars', 'check-chars'),
  },
};

const FILE: OptionGrammar = {
  flags: 'bcCdEhiklLnNprsSvzZ0',
  valued: 'efFmP',
  long: {
    ...COMMON_LONG,
    ...long('none', 'apple', 'brief', 'checking-printout', 'compile', 'debug', 'extension', 'mime', 'mime-type', 'mime-encoding'),
    ...long('none', 'keep-going', 'list', 'dereference', 'no-dereference', 'no-buffer', 'no-pad', 'print0', 'preserve-date', 'raw'),
    ...long('none', 'special-files', 'no-sandbox', 'uncompress', 'uncompress-noreport'),
    ...long('required', 'exclude', 'exclude-quiet', 'files-from', 'separator', 'magic-file', 'parameter'),
  },
};

const DATE: OptionGrammar = {
  flags: 'uR',
  valued: 'dfrsD',
  optionalValue: 'I',
  long: {
    ...COMMON_LONG,
    ...long('none', 'debug', 'rfc-email', 'rfc-2822', 'utc', 'universal', 'resolution'),
    ...long('required', 'date', 'file', 'rfc-3339', 'reference', 'set'),
    'iso-8601': 'optional',
  },
};

const MKDIR: OptionGrammar = { flags: 'pvZ', valued: 'm', long: { ...COMMON_LONG, mode: 'required', parents: 'none', verbose: 'none', context: 'optional' } };

const TOUCH: OptionGrammar = {
  flags: 'acfhm',
  valued: 'drt',
  long: { ...COMMON_LONG, ...long('none', 'no-create', 'no-dereference'), ...long('required', 'date', 'reference', 'time') },
};

const CP: OptionGrammar = {
  flags: 'abdfHilLnPpRrsTuvxZ',
  valued: 'St',
  long: {
    ...COMMON_LONG,
    ...long('none', 'archive', 'attributes-only', 'copy-contents', 'debug', 'force', 'interactive', 'link', 'dereference', 'no-clobber'),
    ...long('none', 'no-dereference', 'parents', 'recursive', 'remove-destination', 'strip-trailing-slashes', 'symbolic-link'),
    ...long('none', 'no-target-directory', 'verbose', 'one-file-system', 'keep-directory-symlink'),
    ...long('optional', 'backup', 'preserve', 'reflink', 'update', 'context'),
    ...long('required', 'no-preserve', 'sparse', 'suffix', 'target-directory'),
  },
};

const MV: OptionGrammar = {
  flags: 'bfinTuvZ',
  valued: 'St',
  long: {
    ...COMMON_LONG,
    ...long('none', 'exchange', 'force', 'interactive', 'no-clobber', 'no-copy', 'strip-trailing-slashes', 'no-target-directory'),
    ...long('none', 'verbose', 'debug', 'context'),
    ...long('optional', 'backup', 'update'),
    ...long('required', 'suffix', 'target-directory'),
  },
};

const GZIP: OptionGrammar = {
  flags: 'acdfhklLnNqrtvV',
  valued: 'S',
  digits: true,
  long: {
    ...COMMON_LONG,
    ...long('none', 'ascii', 'stdout', 'to-stdout', 'decompress', 'uncompress', 'force', 'keep', 'list', 'license', 'no-name', 'name'),
    ...long('none', 'quiet', 'recursive', 'rsyncable', 'synchronous', 'test', 'verbose', 'fast', 'best'),
    suffix: 'required',
  },
};

// GNU tar 1.34 (`tar --help`) and busybox tar. -F, -I and the option names the allowlist refuses are
// here so that they parse; PROGRAM_RULES refuses them before anything runs.
const TAR: OptionGrammar = {
  flags: 'AcdrtuxGnSkUWOmpsMBiajJzZhPlRvwo',
  valued: 'gCTXfFLbHVIKN',
  long: {
    ...COMMON_LONG,
    ...long('none', 'catenate', 'concatenate', 'create', 'delete', 'diff', 'compare', 'append', 'test-label', 'list', 'update'),
    ...long('none', 'extract', 'get', 'check-device', 'incremental', 'ignore-failed-read', 'no-check-device', 'no-seek', 'seek', 'sparse'),
    ...long('none', 'exclude-backups', 'exclude-caches', 'exclude-caches-all', 'exclude-caches-under', 'exclude-vcs', 'exclude-vcs-ignores'),
    ...long('none', 'no-null', 'no-recursion', 'no-unquote', 'no-verbatim-files-from', 'null', 'verbatim-files-from', 'recursion', 'unquote'),
    ...long('none', 'anchored', 'ignore-case', 'no-anchored', 'no-ignore-case', 'no-wildcards', 'no-wildcards-match-slash', 'wildcards'),
    ...long('none', 'wildcards-match-slash', 'keep-directory-symlink', 'keep-newer-files', 'keep-old-files', 'no-overwrite-dir', 'overwrite'),
    ...long('none', 'overwrite-dir', 'recursive-unlink', 'remove-files', 'skip-old-files', 'unlink-first', 'verify', 'ignore-command-error'),
    ...long('none', 'no-ignore-command-error', 'to-stdout', 'clamp-mtime', 'delay-directory-restore', 'touch', 'no-delay-directory-restore'),
    ...long('none', 'no-same-owner', 'no-same-permissions', 'numeric-owner', 'preserve-permissions', 'same-permissions', 'same-owner'),
    ...long('none', 'preserve-order', 'same-order', 'preserve', 'acls', 'no-acls', 'no-selinux', 'no-xattrs', 'selinux', 'xattrs'),
    ...long('none', 'force-local', 'multi-volume', 'read-full-records', 'ignore-zeros', 'old-archive', 'portability', 'posix'),
    ...long('none', 'auto-compress', 'bzip2', 'xz', 'lzip', 'lzma', 'lzop', 'no-auto-compress', 'zstd', 'gzip', 'gunzip', 'ungzip'),
    ...long('none', 'compress', 'uncompress', 'hard-dereference', 'dereference', 'one-file-system', 'absolute-names', 'full-time'),
    ...long('none', 'check-links', 'block-number', 'show-defaults', 'show-omitted-dirs', 'show-snapshot-field-ranges'),
    ...long('none', 'show-transformed-names', 'show-stored-names', 'utc', 'verbose', 'interactive', 'confirmation', 'restrict', 'usage'),
    ...long('optional', 'occurrence', 'one-top-level', 'atime-preserve', 'backup', 'checkpoint', 'totals'),
    ...long('required', 'listed-incremental', 'hole-detection', 'level', 'sparse-version', 'add-file', 'directory', 'exclude'),
    ...long('required', 'exclude-ignore', 'exclude-ignore-recursive', 'exclude-tag', 'exclude-tag-all', 'exclude-tag-under', 'files-from'),
    ...long('required', 'exclude-from', 'to-command', 'group', 'group-map', 'mode', 'mtime', 'owner', 'owner-map', 'sort'),
    ...long('required', 'xattrs-exclude', 'xattrs-include', 'file', 'info-script', 'new-volume-script', 'tape-length', 'rmt-command'),
    ...long('required', 'rsh-command', 'volno-file', 'blocking-factor', 'record-size', 'format', 'pax-option', 'label'),
    ...long('required', 'use-compress-program', 'starting-file', 'newer-mtime', 'newer', 'after-date', 'suffix', 'strip-components'),
    ...long('required', 'transform', 'xform', 'checkpoint-action', 'index-file', 'no-quote-chars', 'quote-chars', 'quoting-style', 'warning'),
  },
};

/** The option tables of the writing programs whose operands and values are told apart (checked against `--help` in the spec). */
export const OPTION_GRAMMARS: Readonly<Record<string, OptionGrammar>> = {
  sort: SORT,
  uniq: UNIQ,
  file: FILE,
  date: DATE,
  mkdir: MKDIR,
  touch: TOUCH,
  cp: CP,
  mv: MV,
  gzip: GZIP,
  gunzip: GZIP,
  tar: TAR,
};

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
      refusal: 'tar extraction writes whatever the archive holds (any name, .git/… and links included), which no argument shows: list it with -t or print it with -O',
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
  return { writes: [], unknown: unknownOptions('date', parsed), refusal: setting ? 'date with a time operand or -s sets the system clock' : undefined };
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
  return { writes: output !== undefined && output !== '-' ? [{ kind: 'output', path: output }] : [], unknown: unknownOptions('uniq', parsed) };
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
