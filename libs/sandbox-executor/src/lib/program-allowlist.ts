import { ErrorCode, Role, roleAtLeast } from '@aegis/contracts';
import { ExecutorException } from './executor.types';
import { SANDBOX_WORKSPACE } from './sandbox-limits';

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
  sort: { minRole: Role.Viewer, refusedLongOptions: ['--output', '--compress-program'], refusedShortLetters: 'o' },
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

/** Absolute paths a command may name: the workspace, its own /tmp and /proc, and /dev/null. */
const ALLOWED_ABSOLUTE_ROOTS = [SANDBOX_WORKSPACE, '/tmp', '/proc', '/dev/null'] as const;

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

/**
 * Path-like arguments stay in the sandbox's view of the workspace: a `..` segment is refused,
 * and an absolute path must lie under /workspace, /tmp or /proc (or be /dev/null).
 */
function checkPathArguments(args: readonly string[]): void {
  for (const arg of args) {
    const values = arg.includes('=') ? [arg, arg.slice(arg.indexOf('=') + 1)] : [arg];
    for (const value of values) {
      if (value.split('/').includes('..')) {
        throw new ExecutorException(ErrorCode.PathOutsideWorkspace, `'${arg}' climbs out with '..': name paths inside the workspace`);
      }
      if (value.startsWith('/') && !ALLOWED_ABSOLUTE_ROOTS.some((root) => value === root || value.startsWith(`${root}/`))) {
        throw new ExecutorException(
          ErrorCode.PathOutsideWorkspace,
          `'${arg}' is outside the workspace: absolute paths must be under ${SANDBOX_WORKSPACE}, /tmp or /proc`,
        );
      }
    }
  }
}

/**
 * Refuses argv that `role` may not run: unknown programs, programs given as paths, environment
 * assignments, subcommands above the role, dangerous options and paths outside the workspace.
 */
export function authorizeArgv(argv: readonly string[], role: Role): void {
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
  if (!roleAtLeast(role, rule.minRole)) refuseProgram(`'${program}' is not an allowed program for the ${role} role (needs ${rule.minRole})`);
  if (rule.maxArguments !== undefined && args.length > rule.maxArguments) refuseCommand(`${program} takes at most ${rule.maxArguments} arguments here`);
  let subcommand: string | undefined;
  if (rule.subcommands) {
    subcommand = args[0];
    if (subcommand === undefined) refuseProgram(`'${program}' needs a subcommand`);
    if (subcommand.startsWith('-')) refuseCommand(`'${program} ${subcommand}' is refused: options go after the subcommand`);
    const minRole = Object.hasOwn(rule.subcommands, subcommand) ? rule.subcommands[subcommand] : undefined;
    if (minRole === undefined || !roleAtLeast(role, minRole)) {
      refuseProgram(`'${program} ${subcommand}' is not allowed for the ${role} role; allowed: ${allowedSubcommands(program, role)?.join(', ')}`);
    }
  }
  checkOptions(program, rule, subcommand ? args.slice(1) : args, subcommand);
  checkPathArguments(args);
}
