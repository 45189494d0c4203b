import { realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ErrorCode, Role, roleAtLeast } from '@aegis/contracts';
import { commandEffects, mayWrite } from './command-effects';
import { ExecutorException } from './executor.types';
import { SANDBOX_WORKSPACE } from './sandbox-limits';
import { resolveInWorkspace } from './workspace-path';

/** How one program may be used. Options are refused wherever they appear in argv. */
export interface ProgramRule {
  minRole: Role;
  /** When set, argv[1] must be one of these subcommands (no global options before it), each with its own minimum role. */
  subcommands?: Readonly<Record<string, Role>>;
  /** Long options refused, also when abbreviated (`--out` for `--output`) or given as `--opt=value`. */
  refusedLongOptions?: readonly string[];
  /** Arguments refused exactly (find's single-dash words such as `-exec`). */
  refusedWords?: readonly string[];
  /** Letters refused inside any short-option cluster (`-xIf` refuses `I`). */
  refusedShortLetters?: string;
  /** Per subcommand: letters refused in short-option clusters. */
  refusedShortLettersBySubcommand?: Readonly<Record<string, string>>;
  /** tar's old style: a first argument without a dash is an option cluster. */
  firstArgumentIsCluster?: boolean;
  /** Substrings refused in any argument (git's `::` transport helpers). */
  refusedSubstrings?: readonly string[];
  /** At most this many arguments after the program (0: none). */
  maxArguments?: number;
}

const GIT_SUBCOMMANDS: Record<string, Role> = {
  status: Role.Viewer,
  log: Role.Viewer,
  diff: Role.Viewer,
  show: Role.Viewer,
  pull: Role.Operator,
  fetch: Role.Operator,
  add: Role.Operator,
  commit: Role.Operator,
  checkout: Role.Operator,
  switch: Role.Operator,
  branch: Role.Operator,
  stash: Role.Operator,
  'ls-files': Role.Operator,
  'rev-parse': Role.Operator,
  reset: Role.Admin,
  restore: Role.Admin,
  clean: Role.Admin,
  merge: Role.Admin,
  rebase: Role.Admin,
  'cherry-pick': Role.Admin,
  revert: Role.Admin,
  push: Role.Admin,
  clone: Role.Admin,
  init: Role.Admin,
  rm: Role.Admin,
  mv: Role.Admin,
  tag: Role.Admin,
  remote: Role.Admin,
};

/** Every program a role may run. Anything not listed is refused with PROGRAM_NOT_ALLOWED. */
export const PROGRAM_RULES: Readonly<Record<string, ProgramRule>> = {
  // viewer: read-only inspection
  ls: { minRole: Role.Viewer },
  cat: { minRole: Role.Viewer },
  head: { minRole: Role.Viewer },
  tail: { minRole: Role.Viewer },
  wc: { minRole: Role.Viewer },
  grep: { minRole: Role.Viewer },
  find: {
    minRole: Role.Viewer,
    refusedWords: ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls'],
  },
  du: { minRole: Role.Viewer },
  df: { minRole: Role.Viewer },
  stat: { minRole: Role.Viewer },
  file: { minRole: Role.Viewer },
  echo: { minRole: Role.Viewer },
  pwd: { minRole: Role.Viewer },
  uname: { minRole: Role.Viewer },
  id: { minRole: Role.Viewer },
  whoami: { minRole: Role.Viewer, maxArguments: 0 },
  date: { minRole: Role.Viewer, refusedLongOptions: ['--set'], refusedWords: ['-s'] },
  uptime: { minRole: Role.Viewer },
  nproc: { minRole: Role.Viewer },
  free: { minRole: Role.Viewer },
  // sort -o and uniq's second operand write: their class comes from the file they name (docs/governance.md).
  sort: { minRole: Role.Viewer, refusedLongOptions: ['--compress-program'] },
  uniq: { minRole: Role.Viewer, maxArguments: 3 },
  cut: { minRole: Role.Viewer },
  diff: { minRole: Role.Viewer },
  cmp: { minRole: Role.Viewer },
  basename: { minRole: Role.Viewer },
  dirname: { minRole: Role.Viewer },
  realpath: { minRole: Role.Viewer },
  readlink: { minRole: Role.Viewer },
  md5sum: { minRole: Role.Viewer },
  sha1sum: { minRole: Role.Viewer },
  sha256sum: { minRole: Role.Viewer },
  true: { minRole: Role.Viewer },
  false: { minRole: Role.Viewer },
  git: {
    minRole: Role.Viewer,
    subcommands: GIT_SUBCOMMANDS,
    refusedLongOptions: [
      '--upload-pack',
      '--receive-pack',
      '--exec',
      '--exec-path',
      '--git-dir',
      '--work-tree',
      '--namespace',
      '--config-env',
      '--config',
      '--output',
      '--output-directory',
      '--ext-diff',
      '--super-prefix',
      '--template',
      '--separate-git-dir',
      '--open-files-in-pager',
    ],
    refusedShortLettersBySubcommand: { clone: 'uc' },
    refusedSubstrings: ['::'],
  },
  // operator: changes inside the workspace
  mkdir: { minRole: Role.Operator },
  cp: { minRole: Role.Operator },
  mv: { minRole: Role.Operator },
  touch: { minRole: Role.Operator },
  tar: {
    minRole: Role.Operator,
    refusedLongOptions: [
      '--to-command',
      '--use-compress-program',
      '--checkpoint-action',
      '--rmt-command',
      '--rsh-command',
      '--info-script',
      '--new-volume-script',
      '--index-file',
    ],
    refusedShortLetters: 'IF',
    firstArgumentIsCluster: true,
  },
  gzip: { minRole: Role.Operator },
  gunzip: { minRole: Role.Operator },
  python3: { minRole: Role.Operator },
  // admin: destructive changes
  rm: { minRole: Role.Admin },
  rmdir: { minRole: Role.Admin },
  chmod: { minRole: Role.Admin },
  ln: { minRole: Role.Admin },
  truncate: { minRole: Role.Admin },
};

/** Absolute directories a command may name: the workspace and its own /tmp (see also ALLOWED_ABSOLUTE_FILES). */
const ALLOWED_ABSOLUTE_ROOTS = [SANDBOX_WORKSPACE, '/tmp'] as const;

/** Files outside those roots a command may name, exactly: /dev/null and /proc files without links (root, cwd, fd, exe) that lead out. */
export const ALLOWED_ABSOLUTE_FILES: readonly string[] = [
  '/proc/cpuinfo',
  '/proc/meminfo',
  '/proc/loadavg',
  '/proc/uptime',
  '/proc/version',
  '/proc/stat',
  '/proc/swaps',
  '/proc/filesystems',
  '/proc/net/dev',
  '/proc/net/tcp',
  '/proc/net/tcp6',
  '/proc/self/status',
  '/proc/self/environ',
  '/proc/self/mounts',
  '/dev/null',
];

/** Where a command runs, so that path arguments can be followed through links: the workspace on the host, and the cwd relative to it. */
export interface CommandPlace {
  workspaceRoot: string;
  cwd?: string;
}

function refuseProgram(message: string): never {
  throw new ExecutorException(ErrorCode.ProgramNotAllowed, message);
}

function refuseCommand(message: string): never {
  throw new ExecutorException(ErrorCode.CommandRefused, message);
}

/** The programs `role` may run (some only with certain subcommands), sorted. */
export function allowedPrograms(role: Role): string[] {
  return Object.entries(PROGRAM_RULES)
    .filter(([, rule]) => roleAtLeast(role, rule.minRole))
    .map(([name]) => name)
    .sort();
}

/** The subcommands of `program` that `role` may run, or undefined when the program has no subcommand rule. */
export function allowedSubcommands(program: string, role: Role): string[] | undefined {
  const subcommands = PROGRAM_RULES[program]?.subcommands;
  if (!subcommands) return undefined;
  return Object.entries(subcommands)
    .filter(([, minRole]) => roleAtLeast(role, minRole))
    .map(([name]) => name)
    .sort();
}

function isShortCluster(arg: string): boolean {
  return arg.length > 1 && arg.startsWith('-') && !arg.startsWith('--');
}

function checkOptions(program: string, rule: ProgramRule, args: readonly string[], subcommand: string | undefined): void {
  const shortLetters = `${rule.refusedShortLetters ?? ''}${(subcommand && rule.refusedShortLettersBySubcommand?.[subcommand]) ?? ''}`;
  args.forEach((arg, index) => {
    if (rule.refusedWords?.includes(arg)) refuseCommand(`'${program} ${arg}' is refused: it runs or writes beyond what the command shows`);
    for (const substring of rule.refusedSubstrings ?? []) {
      if (arg.includes(substring)) refuseCommand(`'${substring}' in arguments of ${program} is refused`);
    }
    if (arg.startsWith('--')) {
      const name = arg.split('=')[0];
      const refused = rule.refusedLongOptions?.find((option) => option === name || (name.length >= 3 && option.startsWith(name)));
      if (refused) refuseCommand(`The option ${refused} of ${program} is refused`);
      return;
    }
    if (shortLetters === '') return;
    const cluster = isShortCluster(arg) ? arg.slice(1) : index === 0 && rule.firstArgumentIsCluster ? arg : undefined;
    const letter = cluster === undefined ? undefined : [...shortLetters].find((refused) => cluster.includes(refused));
    if (letter) refuseCommand(`The option -${letter} of ${program} is refused`);
  });
}

/** Remote URLs git may be given: their `:` is not a list separator. */
const REMOTE_URL = /^(https?|ssh|git):\/\//i;

/**
 * Every form in which an argument can name a path: itself, the value after each `=`, the value attached
 * to a short option (`-C/etc`, `-f../x`, at each `/` or `.` of the cluster), and each item of a
 * comma or colon list (`-m a:/etc/magic`).
 */
export function pathForms(arg: string): string[] {
  const forms = new Set<string>([arg]);
  for (let index = arg.indexOf('='); index !== -1; index = arg.indexOf('=', index + 1)) forms.add(arg.slice(index + 1));
  if (arg.startsWith('-') && !arg.startsWith('--')) {
    for (let index = 2; index < arg.length; index++) {
      if (index === 2 || arg[index] === '/' || arg[index] === '.') forms.add(arg.slice(index));
    }
  }
  for (const form of [...forms]) {
    if (REMOTE_URL.test(form)) continue;
    for (const item of form.split(/[,:]/)) forms.add(item);
  }
  return [...forms];
}

function segments(path: string): string[] {
  return path.split('/');
}

/** `.git` in any letter case (git itself refuses such names on case-insensitive file systems). */
function hasGitSegment(path: string): boolean {
  return segments(path).some((segment) => segment.toLowerCase() === '.git');
}

function allowedAbsolute(path: string): boolean {
  const collapsed = path.replace(/\/+/g, '/');
  return (
    ALLOWED_ABSOLUTE_FILES.includes(collapsed) ||
    ALLOWED_ABSOLUTE_ROOTS.some((root) => collapsed === root || collapsed.startsWith(`${root}/`))
  );
}

/**
 * Path arguments stay in the sandbox's view of the workspace, in every form (pathForms): a `..`
 * segment is refused, and an absolute path must lie under /workspace or /tmp, or be /dev/null or
 * one of ALLOWED_ABSOLUTE_FILES.
 */
function checkPathArguments(args: readonly string[]): void {
  for (const arg of args) {
    for (const value of pathForms(arg)) {
      if (segments(value).includes('..')) {
        throw new ExecutorException(ErrorCode.PathOutsideWorkspace, `'${arg}' climbs out with '..': name paths inside the workspace`);
      }
      if (value.startsWith('/') && !allowedAbsolute(value)) {
        throw new ExecutorException(
          ErrorCode.PathOutsideWorkspace,
          `${value === arg ? `'${arg}'` : `'${arg}' (read as the path '${value}')`} is outside the workspace: absolute paths must be under ` +
            `${SANDBOX_WORKSPACE} or /tmp (or a few /proc files such as /proc/loadavg); give an option's value as its own argument`,
        );
      }
    }
  }
}

/** The real path of `path`, following links as far as it exists; undefined when it cannot be resolved (a link loop). */
function realPathOf(path: string): string | undefined {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(existing), ...rest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(existing) === existing) return undefined;
      rest.unshift(existing.slice(dirname(existing).length + 1));
      existing = dirname(existing);
    }
  }
}

function insideGitDirectory(root: string, real: string): boolean {
  const rel = relative(root, real);
  return !rel.startsWith('..') && rel.split(sep).some((segment) => segment.toLowerCase() === '.git');
}

/**
 * No program but git writes inside a .git directory (docs/sandbox.md "Paths"): a command that may
 * write is refused when any form of any argument, or its working directory, names a .git segment,
 * or leads into one through a link in the workspace.
 */
function checkGitDirectoryWrites(program: string, args: readonly string[], place: CommandPlace | undefined): void {
  function refuse(why: string): never {
    refuseCommand(`${program} may write, and ${why}: only git itself writes inside .git`);
  }
  for (const arg of args) {
    if (pathForms(arg).some(hasGitSegment)) refuse(`'${arg}' names a .git directory`);
  }
  if (!place) return;
  let root: string;
  try {
    root = realpathSync(place.workspaceRoot);
  } catch {
    return; // no workspace yet: nothing in it can lead anywhere
  }
  const cwd = resolveInWorkspace(root, place.cwd ?? '.');
  if (insideGitDirectory(root, cwd)) refuse(`its working directory '${place.cwd}' is inside a .git directory`);
  for (const arg of args) {
    for (const form of pathForms(arg)) {
      if (form === '' || (form.startsWith('/') && form !== SANDBOX_WORKSPACE && !form.startsWith(`${SANDBOX_WORKSPACE}/`))) continue;
      const host = form.startsWith('/') ? join(root, form.slice(SANDBOX_WORKSPACE.length)) : join(cwd, form);
      const real = realPathOf(host);
      if (real === undefined) refuse(`'${arg}' cannot be resolved (a loop of links)`);
      if (insideGitDirectory(root, real)) refuse(`'${arg}' leads into a .git directory through a link`);
    }
  }
}

/**
 * Refuses argv that `role` may not run: unknown programs, programs given as paths, environment
 * assignments, subcommands above the role, dangerous options, paths outside the workspace in any
 * form, what no argument can show (tar extraction), and writes into .git (followed through links
 * when `place` is given).
 */
export function authorizeArgv(argv: readonly string[], role: Role, place?: CommandPlace): void {
  const [program, ...args] = argv;
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(program)) {
    refuseCommand(`'${program}' looks like an environment assignment: the sandbox environment cannot be changed`);
  }
  if (!/^[\x21-\x7e]+$/.test(program)) {
    refuseProgram(`The program name ${JSON.stringify(program)} is not printable ASCII; no allowed program has such a name`);
  }
  if (program.includes('/')) {
    const base = program.slice(program.lastIndexOf('/') + 1);
    const hint = Object.hasOwn(PROGRAM_RULES, base) ? `: name it '${base}'` : '';
    refuseProgram(`Programs are named, not given as paths ('${program}')${hint}`);
  }
  const rule = Object.hasOwn(PROGRAM_RULES, program) ? PROGRAM_RULES[program] : undefined;
  if (!rule) refuseProgram(`'${program}' is not an allowed program for the ${role} role`);
  if (!roleAtLeast(role, rule.minRole))
    refuseProgram(`'${program}' is not an allowed program for the ${role} role (needs ${rule.minRole})`);
  if (rule.maxArguments !== undefined && args.length > rule.maxArguments)
    refuseCommand(`${program} takes at most ${rule.maxArguments} arguments here`);
  let subcommand: string | undefined;
  if (rule.subcommands) {
    subcommand = args[0];
    if (subcommand === undefined) refuseProgram(`'${program}' needs a subcommand`);
    if (subcommand.startsWith('-')) refuseCommand(`'${program} ${subcommand}' is refused: options go after the subcommand`);
    const minRole = Object.hasOwn(rule.subcommands, subcommand) ? rule.subcommands[subcommand] : undefined;
    if (minRole === undefined || !roleAtLeast(role, minRole)) {
      refuseProgram(
        `'${program} ${subcommand}' is not allowed for the ${role} role; allowed: ${allowedSubcommands(program, role)?.join(', ')}`,
      );
    }
  }
  checkOptions(program, rule, subcommand ? args.slice(1) : args, subcommand);
  checkPathArguments(args);
  if (program === 'git') return;
  const effects = commandEffects(argv);
  if (effects.refusal) refuseCommand(`'${argv.join(' ')}' is refused: ${effects.refusal}`);
  if (mayWrite(effects)) checkGitDirectoryWrites(program, args, place);
}
