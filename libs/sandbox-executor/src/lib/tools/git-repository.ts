import { constants } from 'node:fs';
import { access, lstat, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ErrorCode } from '@aegis/contracts';
import { ExecutorException } from '../executor.types';
import { resolveInWorkspace } from '../workspace-path';
import { fileSystemFailure, locate, type WorkspaceLocation } from './tool-support';

export interface GitRepository extends WorkspaceLocation {
  /** Real path of the repository's git directory (`.git`, or where a `gitdir:` file points), inside the workspace. */
  gitDir: string;
}

/** `section.key` patterns (`*` = any subsection) whose values are programs git would run, or files it would read config from. */
const PROGRAM_SETTINGS = [
  'core.fsmonitor',
  'core.hookspath',
  'core.sshcommand',
  'core.gitproxy',
  'core.askpass',
  'core.alternaterefscommand',
  'sequence.editor',
  'include.path',
  'includeif.*.path',
  'remote.*.uploadpack',
  'remote.*.receivepack',
  'remote.*.vcs',
  'filter.*.clean',
  'filter.*.smudge',
  'filter.*.process',
  'diff.external',
  'diff.*.command',
  'diff.*.textconv',
  'merge.*.driver',
  'credential.helper',
  'credential.*.helper',
  'uploadpack.packobjectshook',
  'gpg.program',
  'gpg.*.program',
  'protocol.allow',
  'protocol.*.allow',
] as const;

/** Values of those settings that run nothing. */
const HARMLESS_VALUES: Readonly<Record<string, readonly string[]>> = {
  'core.fsmonitor': ['false', 'no', 'off', '0', ''],
  'core.hookspath': ['/dev/null'],
};

function settingPattern(section: string, subsection: string | undefined, key: string): string {
  return subsection === undefined ? `${section}.${key}` : `${section}.*.${key}`;
}

/**
 * The settings in a repository's own config file (`.git/config`) that would make git run a
 * program or read more config; a repository with any of them is refused by the git tools. The
 * file's syntax is git-config(1)'s: `[section "sub"]` or `[section.sub]`, `key = value`, `#`/`;` comments.
 */
export function findProgramSettings(configText: string): string[] {
  const found: string[] = [];
  let section = '';
  let subsection: string | undefined;
  for (const rawLine of configText.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\](.*)$/.exec(line);
    let rest = line;
    if (header) {
      const [, name, quoted, after] = header;
      const dot = name.indexOf('.');
      section = (dot === -1 ? name : name.slice(0, dot)).toLowerCase();
      subsection = quoted ?? (dot === -1 ? undefined : name.slice(dot + 1));
      rest = after.trim();
      if (rest === '' || rest.startsWith('#') || rest.startsWith(';')) continue;
    }
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(rest);
    if (!entry || section === '') continue;
    const key = entry[1].toLowerCase();
    const value = (entry[2] ?? 'true').replace(/^"(.*)"$/, '$1').trim();
    const pattern = settingPattern(section, subsection, key);
    if (!(PROGRAM_SETTINGS as readonly string[]).includes(pattern)) continue;
    if (HARMLESS_VALUES[pattern]?.includes(value.toLowerCase())) continue;
    found.push(subsection === undefined ? pattern : `${section}.${subsection}.${key}`);
  }
  return found;
}

/** Executable hooks (not the `.sample` files git installs) in the repository's hooks folder. */
async function executableHooks(gitDir: string): Promise<string[]> {
  const hooksDir = join(gitDir, 'hooks');
  const names = await readdir(hooksDir).catch(() => [] as string[]);
  const hooks: string[] = [];
  for (const name of names) {
    if (name.endsWith('.sample')) continue;
    const executable = await access(join(hooksDir, name), constants.X_OK).then(
      () => true,
      () => false,
    );
    if (executable) hooks.push(name);
  }
  return hooks;
}

/**
 * The work tree at `userRepo` inside the workspace. Its git directory must be inside the
 * workspace too, and its config may not name programs for git to run (nor, with `hooks`, may it
 * have executable hooks): the sandbox would run them with the caller's write access.
 */
export async function openRepository(workspaceDir: string, userRepo: string, options: { hooks: boolean }): Promise<GitRepository> {
  const location = locate({ workspaceDir }, userRepo);
  const dotGit = join(location.absolute, '.git');
  let isFile: boolean;
  try {
    isFile = (await lstat(dotGit)).isFile();
  } catch (error) {
    const failure = fileSystemFailure(error, userRepo);
    if (failure instanceof ExecutorException && failure.code === ErrorCode.NotFound) {
      throw new ExecutorException(ErrorCode.NotFound, `'${userRepo}' is not a git repository (no .git in it)`);
    }
    throw failure;
  }
  let gitDir: string;
  if (isFile) {
    const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(await readFile(dotGit, 'utf8'));
    if (!pointer) throw new ExecutorException(ErrorCode.NotFound, `'${userRepo}' has an unreadable .git file`);
    gitDir = resolveInWorkspace(workspaceDir, resolve(location.absolute, pointer[1]));
  } else {
    gitDir = resolveInWorkspace(workspaceDir, dotGit);
  }
  const config = await readFile(join(gitDir, 'config'), 'utf8').catch(() => '');
  const settings = findProgramSettings(config);
  if (settings.length > 0) {
    throw new ExecutorException(
      ErrorCode.Forbidden,
      `'${userRepo}' is refused: its git config names programs to run (${settings.join(', ')}); remove them first`,
    );
  }
  if (options.hooks) {
    const hooks = await executableHooks(gitDir);
    if (hooks.length > 0) {
      throw new ExecutorException(ErrorCode.Forbidden, `'${userRepo}' is refused: it has executable git hooks (${hooks.join(', ')}); remove them first`);
    }
  }
  return { ...location, gitDir };
}
