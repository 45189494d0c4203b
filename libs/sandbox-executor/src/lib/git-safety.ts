import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ErrorCode } from '@aegis/contracts';
import { ExecutorException } from './executor.types';
import { GitConfigSyntaxError, parseGitConfig } from './git-config.parser';

// What a sandboxed git may be started on (docs/sandbox.md "Git"): a repository whose config names no
// program and sends git nowhere else, remotes that pass the same checks, and arguments that set nothing.
// The settings git itself runs with are in git-safety-config.ts.

/** A transport helper (`<helper>::<address>`, `ext::`) would run a program. */
function isPlainRemote(value: string | null): boolean {
  return value !== null && !value.includes('::') && !value.startsWith('-');
}

const anyValue = () => true;

/** The repository settings git may read: nothing here names a program or another file to read. */
const ALLOWED_SETTINGS: Readonly<Record<string, (value: string | null) => boolean>> = {
  'core.repositoryformatversion': anyValue,
  'core.filemode': anyValue,
  'core.bare': anyValue,
  'core.logallrefupdates': anyValue,
  'core.ignorecase': anyValue,
  'core.precomposeunicode': anyValue,
  'core.symlinks': anyValue,
  'core.autocrlf': anyValue,
  'core.eol': anyValue,
  'core.safecrlf': anyValue,
  'core.quotepath': anyValue,
  'core.sharedrepository': anyValue,
  'core.sparsecheckout': anyValue,
  'core.sparsecheckoutcone': anyValue,
  'extensions.objectformat': anyValue,
  'remote.*.url': isPlainRemote,
  'remote.*.pushurl': isPlainRemote,
  'remote.*.fetch': anyValue,
  'remote.*.push': anyValue,
  'remote.*.mirror': anyValue,
  'remote.*.tagopt': anyValue,
  'remote.*.prune': anyValue,
  'branch.*.remote': isPlainRemote,
  'branch.*.pushremote': isPlainRemote,
  'branch.*.merge': anyValue,
  'branch.*.rebase': anyValue,
  'user.name': anyValue,
  'user.email': anyValue,
  'user.signingkey': anyValue,
  'user.useconfigonly': anyValue,
  'receive.denycurrentbranch': anyValue,
  'receive.denynonfastforwards': anyValue,
  'receive.denydeletes': anyValue,
  'init.defaultbranch': anyValue,
  'pull.rebase': anyValue,
  'pull.ff': anyValue,
  'merge.ff': anyValue,
  'fetch.prune': anyValue,
  'push.default': anyValue,
  'push.autosetupremote': anyValue,
  'color.ui': anyValue,
  // git never enters a submodule here (--recurse-submodules is refused); submodule.<name>.update, which can name a program, is not allowed.
  'submodule.*.url': isPlainRemote,
  'submodule.*.active': anyValue,
};

/** The settings of a repository config that are not on the allowlist, as `section.sub.key`. */
export function refusedGitSettings(configText: string): string[] {
  const refused: string[] = [];
  for (const entry of parseGitConfig(configText)) {
    const pattern = entry.subsection === undefined ? `${entry.section}.${entry.key}` : `${entry.section}.*.${entry.key}`;
    const allowed = Object.hasOwn(ALLOWED_SETTINGS, pattern) && ALLOWED_SETTINGS[pattern](entry.value);
    const name = entry.subsection === undefined ? `${entry.section}.${entry.key}` : `${entry.section}.${entry.subsection}.${entry.key}`;
    if (!allowed && !refused.includes(name)) refused.push(name);
  }
  return refused;
}

function refuse(message: string): never {
  throw new ExecutorException(ErrorCode.CommandRefused, message);
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Files in a git directory that would make git read config from elsewhere. */
const REDIRECTING_FILES = ['commondir', 'config.worktree'] as const;

/** A git directory's config must be a plain file of allowed settings, and nothing may send git elsewhere. */
function checkGitDirectory(gitDir: string, shown: string): void {
  // Legacy remote definitions (a URL outside the config) would escape the remote checks below.
  for (const name of ['remotes', 'branches']) {
    const legacy = lstatOrUndefined(join(gitDir, name));
    if (legacy && (!legacy.isDirectory() || readdirSync(join(gitDir, name)).length > 0)) {
      refuse(`git is refused in this repository: ${shown}/${name} defines remotes outside the config; remove it`);
    }
  }
  for (const name of REDIRECTING_FILES) {
    if (lstatOrUndefined(join(gitDir, name)))
      refuse(`git is refused in this repository: ${shown}/${name} would make git read config from elsewhere; remove it`);
  }
  const configPath = join(gitDir, 'config');
  const config = lstatOrUndefined(configPath);
  if (!config) return;
  if (!config.isFile()) refuse(`git is refused in this repository: ${shown}/config is not a plain file (a symbolic link?)`);
  let refused: string[];
  try {
    refused = refusedGitSettings(readFileSync(configPath, 'utf8'));
  } catch (error) {
    if (error instanceof GitConfigSyntaxError)
      refuse(`git is refused in this repository: ${shown}/config cannot be read safely (${error.message})`);
    throw error;
  }
  if (refused.length > 0) {
    refuse(
      `git is refused in this repository: ${shown}/config sets ${refused.join(', ')}, which the sandbox does not allow (only core basics, remotes, branches, user and init.defaultBranch)`,
    );
  }
}

/** git's own test for a git directory: HEAD, objects/ and refs/. */
function looksLikeGitDirectory(dir: string): boolean {
  return Boolean(
    lstatOrUndefined(join(dir, 'HEAD'))?.isFile() &&
    lstatOrUndefined(join(dir, 'objects'))?.isDirectory() &&
    lstatOrUndefined(join(dir, 'refs'))?.isDirectory(),
  );
}

/**
 * Checks every repository git could discover from `cwd` (a real path inside `workspaceRoot`),
 * walking up to the workspace root: each `.git` must be a real folder (not a `gitdir:` file or a
 * symbolic link) without commondir or config.worktree, and its config may hold only allowlisted
 * settings. Refuses with COMMAND_REFUSED naming what it found.
 */
export function checkGitRepository(workspaceRoot: string, cwd: string): void {
  const shownPath = (path: string) => relative(workspaceRoot, path).split(sep).join('/') || '.';
  for (let dir = cwd; ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    const stat = lstatOrUndefined(dotGit);
    if (stat?.isSymbolicLink()) refuse(`git is refused here: ${shownPath(dotGit)} is a symbolic link`);
    if (stat?.isFile())
      refuse(`git is refused here: ${shownPath(dotGit)} is a gitdir link file, which would send git to another git directory`);
    if (stat && !stat.isDirectory()) refuse(`git is refused here: ${shownPath(dotGit)} is not a folder`);
    if (stat) checkGitDirectory(dotGit, shownPath(dotGit));
    if (looksLikeGitDirectory(dir)) checkGitDirectory(dir, shownPath(dir));
    if (dir === workspaceRoot || dirname(dir) === dir) return;
  }
}

/** The subcommands that start git in another repository (upload-pack, receive-pack). */
const TRANSPORT_SUBCOMMANDS = new Set(['fetch', 'pull', 'push', 'clone']);

/** Where a remote given as a local path is on the host; undefined for a network URL or a path the sandbox cannot see. */
function localRemotePaths(workspaceRoot: string, sandboxWorkspace: string, bases: readonly string[], url: string): string[] {
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
  // host:path (scp syntax) and scheme://… are network remotes.
  if (path === '' || path.includes('://') || /^[^/]*:/.test(path)) return [];
  if (path.startsWith('/')) {
    if (path !== sandboxWorkspace && !path.startsWith(`${sandboxWorkspace}/`)) return [];
    return [join(workspaceRoot, path.slice(sandboxWorkspace.length))];
  }
  return bases.map((base) => resolve(base, path));
}

/** A repository git would open at `path` (as git does: `path`, `path.git`, `path/.git`) must pass the same checks. */
function checkRemoteRepository(workspaceRoot: string, path: string): void {
  const shown = (target: string) => relative(workspaceRoot, target).split(sep).join('/') || '.';
  if (!isInsideRoot(workspaceRoot, path)) return;
  for (const candidate of [path, `${path}.git`, join(path, '.git')]) {
    const stat = lstatOrUndefined(candidate);
    if (!stat) continue;
    if (stat.isSymbolicLink()) refuse(`git is refused here: the remote ${shown(candidate)} is reached through a symbolic link`);
    if (stat.isFile() && candidate.endsWith(`${sep}.git`))
      refuse(`git is refused here: the remote's ${shown(candidate)} is a gitdir link file`);
    if (stat.isDirectory() && looksLikeGitDirectory(candidate)) checkGitDirectory(candidate, shown(candidate));
  }
}

function isInsideRoot(root: string, path: string): boolean {
  const rel = relative(root, path);
  return !rel.startsWith('..') && !rel.startsWith(sep);
}

/**
 * A local fetch, pull, push or clone starts git in the other repository (upload-pack,
 * receive-pack) with that repository's own config, so every local repository the command could
 * reach (each remote URL of the current repository and each argument naming a folder) is checked
 * like the current one. Call after checkGitRepository.
 */
export function checkGitRemotes(workspaceRoot: string, cwd: string, argv: readonly string[], sandboxWorkspace: string): void {
  if (!TRANSPORT_SUBCOMMANDS.has(argv[1] ?? '')) return;
  let top: string | undefined;
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (lstatOrUndefined(join(dir, '.git'))?.isDirectory()) {
      top = dir;
      break;
    }
    if (dir === workspaceRoot || dirname(dir) === dir) break;
  }
  const bases = top === undefined || top === cwd ? [cwd] : [top, cwd];
  const urls = argv.slice(2).filter((arg) => !arg.startsWith('-'));
  if (top !== undefined) {
    const configPath = join(top, '.git', 'config');
    if (lstatOrUndefined(configPath)?.isFile()) {
      for (const entry of parseGitConfig(readFileSync(configPath, 'utf8'))) {
        const isUrl = ['url', 'pushurl'].includes(entry.key) && entry.section === 'remote';
        const isBranchRemote = ['remote', 'pushremote'].includes(entry.key) && entry.section === 'branch';
        if ((isUrl || isBranchRemote) && entry.value !== null) urls.push(entry.value);
      }
    }
  }
  for (const url of urls) {
    for (const path of localRemotePaths(workspaceRoot, sandboxWorkspace, bases, url)) checkRemoteRepository(workspaceRoot, path);
  }
}

/**
 * git options that would enter submodules or nested repositories, whose own config this check
 * does not read (`--recurse-submodules`, clone's `--recursive`, `--ignore-submodules` other than
 * `all`, and their abbreviations).
 */
export function checkGitArguments(argv: readonly string[]): void {
  for (const arg of argv.slice(1)) {
    if (arg === '--') return;
    const [name, ...rest] = arg.split('=');
    const value = rest.length === 0 ? undefined : rest.join('=');
    if (name.length >= '--ignore-'.length && '--ignore-submodules'.startsWith(name) && value !== undefined && value !== 'all') {
      refuse(`git ${arg} is refused: git does not look inside submodules in the sandbox`);
    }
    if (name.length >= '--r'.length && ('--recurse-submodules'.startsWith(name) || '--recursive'.startsWith(name))) {
      refuse(`git ${name} is refused: git does not enter submodules in the sandbox`);
    }
  }
}
