import { lstatSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ActionClass } from '@aegis/contracts';
import { type CommandPlace, commandEffects, resolveInWorkspace, SANDBOX_WORKSPACE, type WriteEffect } from '@aegis/sandbox-executor';

/** One reason a command's arguments raise its class above its program's (docs/governance.md "Classes from arguments"). */
export interface ArgumentFinding {
  actionClass: ActionClass;
  reason: string;
}

type PathState = 'missing' | 'file' | 'directory' | 'unknown';

/** What is at `path` (as written in argv) in the workspace; `unknown` (treated as existing) when it cannot be told. */
function stateOf(place: CommandPlace | undefined, path: string): PathState {
  if (path.startsWith('/') && path !== SANDBOX_WORKSPACE && !path.startsWith(`${SANDBOX_WORKSPACE}/`)) {
    // The sandbox's own /tmp, /dev/null and /proc: nothing of the workspace is there to replace.
    return 'missing';
  }
  if (!place) return 'unknown';
  let host: string;
  try {
    const root = realpathSync(place.workspaceRoot);
    const cwd = resolveInWorkspace(root, place.cwd ?? '.');
    host = path.startsWith('/') ? join(root, path.slice(SANDBOX_WORKSPACE.length)) : join(cwd, path);
  } catch {
    return 'unknown';
  }
  try {
    const entry = lstatSync(host, { throwIfNoEntry: false });
    if (!entry) return 'missing';
    if (entry.isDirectory()) return 'directory';
    if (entry.isSymbolicLink()) return statSync(host, { throwIfNoEntry: false })?.isDirectory() ? 'directory' : 'file';
    return 'file';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'missing' : 'unknown';
  }
}

/** The existing paths a write replaces: the path itself, or for a directory the names written inside it. */
function replaced(place: CommandPlace | undefined, write: WriteEffect): string[] {
  const state = stateOf(place, write.path);
  if (state === 'missing') return [];
  if (state === 'directory' && write.inside) {
    return write.inside.map((name) => `${write.path.replace(/\/+$/, '')}/${name}`).filter((path) => stateOf(place, path) !== 'missing');
  }
  return [write.path];
}

/** The class one write gives the command, and why. */
function classOfWrite(place: CommandPlace | undefined, write: WriteEffect): ArgumentFinding {
  switch (write.kind) {
    case 'create':
      return { actionClass: ActionClass.Moderate, reason: `creates '${write.path}'` };
    case 'times':
      return { actionClass: ActionClass.Moderate, reason: `changes the times of '${write.path}'` };
    case 'move':
      return { actionClass: ActionClass.Moderate, reason: `renames '${write.path}' inside the workspace` };
    case 'output': {
      const existing = replaced(place, write);
      return existing.length > 0
        ? { actionClass: ActionClass.Sensitive, reason: `replaces '${existing[0]}', which exists` }
        : { actionClass: ActionClass.Moderate, reason: `writes '${write.path}'` };
    }
    case 'remove':
      return stateOf(place, write.path) === 'missing'
        ? { actionClass: ActionClass.Moderate, reason: `would remove '${write.path}', which does not exist` }
        : { actionClass: ActionClass.Sensitive, reason: `removes '${write.path}'` };
    case 'overwrite':
      return { actionClass: ActionClass.Sensitive, reason: `may replace files in '${write.path}' whose names no argument gives` };
    case 'modify':
      return { actionClass: ActionClass.Sensitive, reason: `changes '${write.path}' in place` };
    case 'link':
      return { actionClass: ActionClass.Sensitive, reason: `makes a link at '${write.path}'` };
  }
}

/** What the arguments of a program other than git do to the workspace, each with the class it implies. */
export function fileSystemFindings(argv: readonly string[], place: CommandPlace | undefined): ArgumentFinding[] {
  const effects = commandEffects(argv);
  const findings = effects.writes.map((write) => classOfWrite(place, write));
  if (effects.unknown) findings.push({ actionClass: ActionClass.Critical, reason: effects.unknown });
  return findings;
}

/** Options of git subcommands that replace or delete what exists (working-tree files, branches, refs, stashes). */
const GIT_DESTRUCTIVE: Readonly<Record<string, { short: string; valued: string; long: readonly string[] }>> = {
  checkout: {
    short: 'fmBp',
    valued: 'bB',
    long: ['--force', '--ours', '--theirs', '--merge', '--patch', '--pathspec-from-file', '--conflict', '--overlay', '--no-overlay'],
  },
  switch: { short: 'fmC', valued: 'cC', long: ['--force', '--discard-changes', '--force-create', '--merge', '--orphan', '--conflict'] },
  branch: { short: 'dDmMcCf', valued: 'u', long: ['--delete', '--move', '--copy', '--force', '--edit-description'] },
  fetch: { short: 'fpP', valued: 'jo', long: ['--force', '--prune', '--prune-tags', '--update-head-ok', '--refmap'] },
  pull: { short: 'fpP', valued: 'jo', long: ['--force', '--prune', '--prune-tags', '--update-head-ok', '--refmap'] },
};

/** Stash commands that change the working tree or drop saved changes. */
const GIT_STASH_DESTRUCTIVE = ['pop', 'apply', 'drop', 'clear', 'branch'];

/** The destructive option `arg` is (git accepts unambiguous abbreviations of long options), if any. */
function destructiveOption(arg: string, rule: { short: string; valued: string; long: readonly string[] }): string | undefined {
  if (arg.startsWith('--')) {
    const written = arg.split('=')[0];
    return rule.long.find((name) => name === written || (written.length > 3 && name.startsWith(written)));
  }
  for (const letter of arg.slice(1)) {
    if (rule.short.includes(letter)) return `-${letter}`;
    if (rule.valued.includes(letter)) return undefined;
  }
  return undefined;
}

/** What a git subcommand's arguments do beyond its subcommand's class: replace existing files or delete refs. */
export function gitFindings(argv: readonly string[], place: CommandPlace | undefined): ArgumentFinding[] {
  const [, subcommand = '', ...args] = argv;
  const findings: ArgumentFinding[] = [];
  if (subcommand === 'stash') {
    const action = args.find((arg) => !arg.startsWith('-'));
    if (action !== undefined && GIT_STASH_DESTRUCTIVE.includes(action)) {
      findings.push({
        actionClass: ActionClass.Sensitive,
        reason: `'git stash ${action}' changes the working tree or drops saved changes`,
      });
    }
    return findings;
  }
  const rule = Object.hasOwn(GIT_DESTRUCTIVE, subcommand) ? GIT_DESTRUCTIVE[subcommand] : undefined;
  if (!rule) return findings;
  const dashes = args.indexOf('--');
  const options = dashes === -1 ? args : args.slice(0, dashes);
  for (const arg of options.filter((option) => option.length > 1 && option.startsWith('-'))) {
    const option = destructiveOption(arg, rule);
    if (option)
      findings.push({ actionClass: ActionClass.Sensitive, reason: `'git ${subcommand} ${option}' replaces or deletes what exists` });
  }
  if (subcommand === 'fetch' || subcommand === 'pull') {
    const forced = args.find((arg) => arg.startsWith('+'));
    if (forced) findings.push({ actionClass: ActionClass.Sensitive, reason: `the refspec '${forced}' overwrites a ref` });
  }
  if (subcommand === 'checkout') {
    // `git checkout NAME` switches branches unless NAME is a path: then it discards that path's changes.
    const operands = [...options.filter((arg) => !arg.startsWith('-')), ...(dashes === -1 ? [] : args.slice(dashes + 1))];
    const valueOfPrevious = (index: number) => index > 0 && /^-[bB]$|^--orphan$/.test(options[index - 1]);
    const paths = operands.filter((operand) => !valueOfPrevious(options.indexOf(operand)) && stateOf(place, operand) !== 'missing');
    if (dashes !== -1 && args.length > dashes + 1) {
      findings.push({
        actionClass: ActionClass.Sensitive,
        reason: `'git checkout … -- ${args.slice(dashes + 1).join(' ')}' replaces working-tree files`,
      });
    } else if (paths.length > 0) {
      findings.push({ actionClass: ActionClass.Sensitive, reason: `'git checkout ${paths[0]}' replaces '${paths[0]}', which exists` });
    }
  }
  return findings;
}
