import { ActionClass } from '@aegis/contracts';
import { type CommandPlace, parseCommand } from '@aegis/sandbox-executor';
import { compareSeverity } from '../severity';
import { type ArgumentFinding, fileSystemFindings, gitFindings } from './argument-effects';

/**
 * The class of every program on the executor's allowlists (libs/sandbox-executor PROGRAM_RULES)
 * before its arguments are read: read-only inspection is READ, changes inside the workspace
 * (operator programs) MODERATE, destructive changes (admin programs) SENSITIVE, and python3
 * CRITICAL because what it does cannot be read from its arguments. What the arguments write can
 * only raise it (argument-effects.ts). A unit test checks that every allowlisted program is listed here.
 */
export const PROGRAM_CLASSES: Readonly<Record<string, ActionClass>> = {
  ls: ActionClass.Read,
  cat: ActionClass.Read,
  head: ActionClass.Read,
  tail: ActionClass.Read,
  wc: ActionClass.Read,
  grep: ActionClass.Read,
  find: ActionClass.Read,
  du: ActionClass.Read,
  df: ActionClass.Read,
  stat: ActionClass.Read,
  file: ActionClass.Read,
  echo: ActionClass.Read,
  pwd: ActionClass.Read,
  uname: ActionClass.Read,
  id: ActionClass.Read,
  whoami: ActionClass.Read,
  date: ActionClass.Read,
  uptime: ActionClass.Read,
  nproc: ActionClass.Read,
  free: ActionClass.Read,
  sort: ActionClass.Read,
  uniq: ActionClass.Read,
  cut: ActionClass.Read,
  diff: ActionClass.Read,
  cmp: ActionClass.Read,
  basename: ActionClass.Read,
  dirname: ActionClass.Read,
  realpath: ActionClass.Read,
  readlink: ActionClass.Read,
  md5sum: ActionClass.Read,
  sha1sum: ActionClass.Read,
  sha256sum: ActionClass.Read,
  true: ActionClass.Read,
  false: ActionClass.Read,
  mkdir: ActionClass.Moderate,
  cp: ActionClass.Moderate,
  mv: ActionClass.Moderate,
  touch: ActionClass.Moderate,
  tar: ActionClass.Moderate,
  gzip: ActionClass.Moderate,
  gunzip: ActionClass.Moderate,
  python3: ActionClass.Critical,
  rm: ActionClass.Sensitive,
  rmdir: ActionClass.Sensitive,
  chmod: ActionClass.Sensitive,
  ln: ActionClass.Sensitive,
  truncate: ActionClass.Sensitive,
};

/** git is classified by its subcommand (docs/governance.md "Classification": git status READ, git diff/log SAFE, git pull MODERATE). */
export const GIT_SUBCOMMAND_CLASSES: Readonly<Record<string, ActionClass>> = {
  status: ActionClass.Read,
  'ls-files': ActionClass.Read,
  'rev-parse': ActionClass.Read,
  log: ActionClass.Safe,
  diff: ActionClass.Safe,
  show: ActionClass.Safe,
  pull: ActionClass.Moderate,
  fetch: ActionClass.Moderate,
  add: ActionClass.Moderate,
  commit: ActionClass.Moderate,
  checkout: ActionClass.Moderate,
  switch: ActionClass.Moderate,
  branch: ActionClass.Moderate,
  stash: ActionClass.Moderate,
  reset: ActionClass.Sensitive,
  restore: ActionClass.Sensitive,
  clean: ActionClass.Sensitive,
  merge: ActionClass.Sensitive,
  rebase: ActionClass.Sensitive,
  'cherry-pick': ActionClass.Sensitive,
  revert: ActionClass.Sensitive,
  push: ActionClass.Sensitive,
  clone: ActionClass.Sensitive,
  init: ActionClass.Sensitive,
  rm: ActionClass.Sensitive,
  mv: ActionClass.Sensitive,
  tag: ActionClass.Sensitive,
  remote: ActionClass.Sensitive,
};

export interface CommandClassification {
  argv: string[];
  /** `git pull`, `ls`, or the unknown program's name. */
  program: string;
  actionClass: ActionClass;
  reason: string;
}

function lookup(table: Readonly<Record<string, ActionClass>>, key: string | undefined): ActionClass | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** The finding that decides: the most severe, the first of equals. */
function worst(findings: readonly ArgumentFinding[]): ArgumentFinding | undefined {
  return findings.reduce<ArgumentFinding | undefined>(
    (current, next) => (!current || compareSeverity(next.actionClass, current.actionClass) > 0 ? next : current),
    undefined,
  );
}

/**
 * The class of one argv: its program's (git: its subcommand's), raised by what its arguments write
 * (docs/governance.md "Classes from arguments"): an output file makes it at least MODERATE, replacing
 * or removing something that exists at least SENSITIVE, an effect no argument shows CRITICAL.
 * `place` is where it runs, to tell existing targets from new ones; without it every target is
 * taken to exist. Anything outside the catalogue is CRITICAL.
 */
export function classifyArgv(argv: readonly string[], place?: CommandPlace): CommandClassification {
  const [program = '', subcommand] = argv;
  const isGit = program === 'git';
  const name = isGit ? (subcommand === undefined ? 'git' : `git ${subcommand}`) : program;
  const base = isGit ? lookup(GIT_SUBCOMMAND_CLASSES, subcommand) : lookup(PROGRAM_CLASSES, program);
  if (!base)
    return { argv: [...argv], program: name, actionClass: ActionClass.Critical, reason: `'${name}' is outside the catalogue, so CRITICAL` };
  const finding = worst(isGit ? gitFindings(argv, place) : fileSystemFindings(argv, place));
  if (finding && compareSeverity(finding.actionClass, base) > 0) {
    return {
      argv: [...argv],
      program: name,
      actionClass: finding.actionClass,
      reason: `'${name}' ${finding.reason}, so ${finding.actionClass}`,
    };
  }
  return { argv: [...argv], program: name, actionClass: base, reason: `'${name}' is ${base}` };
}

/** Parses a command line as the executor does (no shell; shell syntax throws COMMAND_REFUSED) and classifies it. */
export function classifyCommand(command: string, place?: CommandPlace): CommandClassification {
  return classifyArgv(parseCommand(command), place);
}
