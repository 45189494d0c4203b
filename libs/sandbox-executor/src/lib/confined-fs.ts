import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, readdir, readlink, realpath } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { ErrorCode } from '@aegis/contracts';
import { ExecutorException } from './executor.types';
import { isInside } from './workspace-path';

// Host-side access to workspace files that a sandboxed process may be changing at the same time
// (docs/sandbox.md "Host-side file tools"). Node has no openat(), so every step is taken through
// /proc/self/fd/<fd>/<name>: the kernel starts from the folder already open and never looks up the
// names above it again, and O_NOFOLLOW keeps it from following a link swapped in at the last name.

/** Where the kernel shows this process's open descriptors (Linux). */
const DESCRIPTORS = '/proc/self/fd';
/** As many links as the kernel follows in one path (MAXSYMLINKS). */
const MAX_SYMBOLIC_LINKS = 40;

/** The errno code of a Node system error (duck-typed: such errors may come from another realm). */
export function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Maps a file-system failure on a user path to a stable error; anything unexpected is rethrown. */
export function fileSystemFailure(error: unknown, userPath: string): Error {
  switch (errnoOf(error)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new ExecutorException(ErrorCode.NotFound, `'${userPath}' does not exist`);
    case 'EACCES':
    case 'EPERM':
      return new ExecutorException(ErrorCode.Forbidden, `'${userPath}': permission denied`);
    case 'EISDIR':
      return new ExecutorException(ErrorCode.ValidationFailed, `'${userPath}' is a directory`);
    case 'ENXIO':
      return new ExecutorException(ErrorCode.ValidationFailed, `'${userPath}' is not a regular file`);
    case 'ELOOP':
      return new ExecutorException(ErrorCode.PathOutsideWorkspace, `'${userPath}' is a symbolic link`);
    default:
      return error as Error;
  }
}

/** `operation`, with a system error on `userPath` mapped to a stable one. */
export async function mapFailure<T>(operation: Promise<T>, userPath: string): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    throw fileSystemFailure(error, userPath);
  }
}

function descriptorPath(handle: FileHandle): string {
  return `${DESCRIPTORS}/${handle.fd}`;
}

/** The real path of what `handle` has open, as the kernel knows it now. */
async function realPathOf(handle: FileHandle): Promise<string> {
  try {
    return await readlink(descriptorPath(handle));
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') {
      throw new ExecutorException(ErrorCode.ServiceUnavailable, `host-side file tools need ${DESCRIPTORS} (Linux with /proc mounted)`);
    }
    throw error;
  }
}

/** A descriptor opened inside the workspace, with the real path checked after opening. */
export interface ConfinedEntry {
  handle: FileHandle;
  realPath: string;
  stats: Stats;
}

/**
 * An open folder of the workspace whose real path was checked after it was opened. Its children
 * are reached through its descriptor, never through a path the kernel would walk again.
 */
export class ConfinedDirectory {
  constructor(
    readonly handle: FileHandle,
    /** Real path of the workspace root. */
    readonly root: string,
    /** Real path of this folder when it was opened. */
    readonly realPath: string,
    /** The caller's path, for error messages. */
    private readonly userPath: string,
  ) {}

  /** Opens WORKSPACE_DIR itself (a path the administrator configured, so links in it are followed). */
  static async openRoot(workspaceDir: string, userPath: string): Promise<ConfinedDirectory> {
    let root: string;
    let handle: FileHandle;
    try {
      root = await realpath(workspaceDir);
      handle = await open(root, constants.O_RDONLY | constants.O_DIRECTORY);
    } catch (error) {
      throw fileSystemFailure(error, userPath);
    }
    try {
      const opened = await realPathOf(handle);
      if (opened !== root) throw new ExecutorException(ErrorCode.Conflict, `the workspace moved while '${userPath}' was being opened`);
      return new ConfinedDirectory(handle, root, root, userPath);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** '.' for the workspace root, else the folder's path relative to it with '/' separators. */
  get relative(): string {
    return relativeTo(this.root, this.realPath);
  }

  /** `name` (one path component) in this folder, as a path the kernel resolves through the descriptor. */
  pathOf(name = '.'): string {
    if (name === '' || name === '..' || name.includes('/') || name.includes('\0'))
      throw new Error(`not one path component: ${JSON.stringify(name)}`);
    return `${descriptorPath(this.handle)}/${name}`;
  }

  /** The workspace-relative path of `name` in this folder. */
  relativeOf(name: string): string {
    return relativeTo(this.root, join(this.realPath, name));
  }

  readdir(): Promise<string[]> {
    return readdir(this.pathOf());
  }

  /** The entry itself, never what a link points to. */
  lstat(name: string): Promise<Stats> {
    return lstat(this.pathOf(name));
  }

  readlink(name: string): Promise<string> {
    return readlink(this.pathOf(name));
  }

  /**
   * Opens `name` in this folder without following a link there (O_NOFOLLOW is always added), then
   * checks that what was opened is inside the workspace. Errors are the system's (map them with
   * fileSystemFailure) or PATH_OUTSIDE_WORKSPACE.
   */
  async open(name: string, flags: number, mode?: number): Promise<ConfinedEntry> {
    const handle = await open(this.pathOf(name), flags | constants.O_NOFOLLOW, mode);
    try {
      const realPath = await realPathOf(handle);
      if (!isInside(this.root, realPath)) {
        throw new ExecutorException(ErrorCode.PathOutsideWorkspace, `'${this.userPath}' leads outside the workspace`);
      }
      return { handle, realPath, stats: await handle.stat() };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Opens the folder `name` in this one (never through a link), checked like open(). */
  async openDirectory(name: string): Promise<ConfinedDirectory> {
    const entry = await this.open(name, constants.O_RDONLY | constants.O_DIRECTORY);
    return new ConfinedDirectory(entry.handle, this.root, entry.realPath, this.userPath);
  }

  /** The same folder, for an entry of it that open() found to be a directory. */
  adopt(entry: ConfinedEntry): ConfinedDirectory {
    return new ConfinedDirectory(entry.handle, this.root, entry.realPath, this.userPath);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

function relativeTo(root: string, path: string): string {
  const rel = relative(root, path).split(sep).join('/');
  return rel === '' ? '.' : rel;
}

/** Where a user path leads: its folder, open and checked, and the last name in it (which may not exist yet). */
export class ConfinedPath {
  constructor(
    readonly parent: ConfinedDirectory,
    /** One path component; '.' when the path is the workspace root itself. */
    readonly name: string,
  ) {}

  get root(): string {
    return this.parent.root;
  }

  /** Relative to the workspace root with '/' separators; '.' for the root itself. */
  get relative(): string {
    return this.parent.relativeOf(this.name);
  }

  close(): Promise<void> {
    return this.parent.close();
  }
}

/**
 * Confines a user path (relative to the workspace, or absolute inside it) and opens its folder
 * step by step from the workspace root without following any link. A link on the way is read and
 * followed by hand only when its target stays inside the workspace (as resolveInWorkspace allows);
 * a target outside is PATH_OUTSIDE_WORKSPACE. The caller must close() the result.
 */
export async function resolveConfined(workspaceDir: string, userPath = '.'): Promise<ConfinedPath> {
  if (userPath.includes('\0')) throw new ExecutorException(ErrorCode.PathOutsideWorkspace, 'The path contains a NUL byte');
  const root = await ConfinedDirectory.openRoot(workspaceDir, userPath);
  let handedOver = false;
  try {
    let target = resolve(root.realPath, userPath);
    if (!isInside(root.realPath, target))
      throw new ExecutorException(ErrorCode.PathOutsideWorkspace, `'${userPath}' is outside the workspace`);
    for (let links = 0; ;) {
      const names = relative(root.realPath, target)
        .split(sep)
        .filter((name) => name !== '');
      if (names.length === 0) {
        handedOver = true;
        return new ConfinedPath(root, '.');
      }
      let parent = root;
      let next: string | undefined;
      try {
        for (let index = 0; index < names.length && next === undefined; index++) {
          const name = names[index];
          if (index < names.length - 1) {
            const child = await openFolderStep(parent, name, userPath);
            if (child !== 'link') {
              if (parent !== root) await parent.close();
              parent = child;
              continue;
            }
          } else if (!(await isLink(parent, name, userPath))) {
            if (parent !== root) await root.close();
            handedOver = true;
            return new ConfinedPath(parent, name);
          }
          if (++links > MAX_SYMBOLIC_LINKS) {
            throw new ExecutorException(ErrorCode.ValidationFailed, `'${userPath}' has too many levels of symbolic links`);
          }
          const link = await linkTarget(parent, name, userPath);
          // The link was replaced meanwhile: walk the same path again (counted against the limit).
          next = link === undefined ? target : resolve(parent.realPath, link, ...names.slice(index + 1));
          if (!isInside(root.realPath, next)) {
            throw new ExecutorException(
              ErrorCode.PathOutsideWorkspace,
              `'${userPath}' leads outside the workspace through a symbolic link`,
            );
          }
        }
      } finally {
        if (!handedOver && parent !== root) await parent.close();
      }
      target = next ?? target;
    }
  } finally {
    if (!handedOver) await root.close();
  }
}

/** Opens the folder `name` on the way, or says it is a link (to be followed by hand). */
async function openFolderStep(parent: ConfinedDirectory, name: string, userPath: string): Promise<ConfinedDirectory | 'link'> {
  try {
    return await parent.openDirectory(name);
  } catch (error) {
    // O_NOFOLLOW | O_DIRECTORY on a link fails with ENOTDIR (or ELOOP): only then look at what is there.
    const code = errnoOf(error);
    if ((code === 'ENOTDIR' || code === 'ELOOP') && (await isLink(parent, name, userPath).catch(() => false))) return 'link';
    throw fileSystemFailure(error, userPath);
  }
}

/** Whether `name` in the folder is a symbolic link now (false when it does not exist). */
async function isLink(folder: ConfinedDirectory, name: string, userPath: string): Promise<boolean> {
  try {
    return (await folder.lstat(name)).isSymbolicLink();
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw fileSystemFailure(error, userPath);
  }
}

/** What the link `name` points to; undefined when it is no longer a link. */
async function linkTarget(folder: ConfinedDirectory, name: string, userPath: string): Promise<string | undefined> {
  try {
    return await folder.readlink(name);
  } catch (error) {
    if (errnoOf(error) === 'EINVAL') return undefined;
    throw fileSystemFailure(error, userPath);
  }
}

/** Reads at most `maxBytes` of an open file from its start (a file that grows meanwhile is cut there). */
export async function readUpTo(handle: FileHandle, maxBytes: number): Promise<Buffer> {
  const buffer = Buffer.alloc(maxBytes);
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
