import { createHash, randomUUID } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { type FileHandle, rename, unlink } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { ActionClass, ErrorCode, Role } from '@aegis/contracts';
import { z } from 'zod';
import {
  type ConfinedDirectory,
  type ConfinedEntry,
  type ConfinedPath,
  fileSystemFailure,
  mapFailure,
  readUpTo,
  resolveConfined,
} from '../confined-fs';
import { ExecutorException } from '../executor.types';
import { defineTool, looksBinary, workspacePathArg } from './tool-support';

const MAX_TEXT_BYTES = 1024 * 1024;
const MAX_LISTED_ENTRIES = 1000;
const MAX_SEARCHED_FILES = 20_000;
const MAX_SEARCHED_BYTES = 64 * 1024 * 1024;
const MAX_MATCH_LINE_CHARS = 300;
/** Folders deeper than this are not searched (each level holds a descriptor open). */
const MAX_SEARCH_DEPTH = 256;
/** Read-only, and a FIFO planted in the workspace must not hang the server. */
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

type EntryType = 'file' | 'directory' | 'symlink' | 'other';

function entryType(stats: Stats): EntryType {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'directory';
  if (stats.isFile()) return 'file';
  return 'other';
}

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Opens the last name of `location` (never through a link) and checks it is inside the workspace. */
function openAt(location: ConfinedPath, userPath: string, flags = READ_FLAGS, mode?: number): Promise<ConfinedEntry> {
  return mapFailure(location.parent.open(location.name, flags, mode), userPath);
}

/**
 * Reads at most `maxBytes` of the regular file at `location` without following a link anywhere
 * on its path; `size` is the whole file's.
 */
async function readHead(location: ConfinedPath, userPath: string, maxBytes: number): Promise<{ bytes: Buffer; size: number }> {
  const { handle, stats } = await openAt(location, userPath);
  try {
    if (stats.isDirectory()) throw new ExecutorException(ErrorCode.ValidationFailed, `'${userPath}' is a directory`);
    if (!stats.isFile()) throw new ExecutorException(ErrorCode.ValidationFailed, `'${userPath}' is not a regular file`);
    return { bytes: await readUpTo(handle, Math.min(maxBytes, stats.size)), size: stats.size };
  } finally {
    await handle.close();
  }
}

/** UTF-8 text of `bytes`; a multi-byte character cut by truncation is dropped, not mangled. */
function decodeText(bytes: Uint8Array, truncated: boolean): string {
  return new TextDecoder('utf-8').decode(bytes, { stream: truncated });
}

export const listDirectoryTool = defineTool({
  name: 'list_directory',
  description: `Lists a directory of the workspace: name, type, size and modification time of each entry (at most ${MAX_LISTED_ENTRIES}).`,
  actionClass: ActionClass.Read,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({ path: workspacePathArg.default('.').describe('Directory relative to the workspace') }),
  async run(args, context) {
    const location = await resolveConfined(context.workspaceDir, args.path);
    try {
      const opened = await openAt(location, args.path);
      const directory = location.parent.adopt(opened);
      try {
        if (!opened.stats.isDirectory()) throw new ExecutorException(ErrorCode.ValidationFailed, `'${args.path}' is not a directory`);
        const names = (await mapFailure(directory.readdir(), args.path)).sort();
        const entries = [];
        for (const name of names.slice(0, MAX_LISTED_ENTRIES)) {
          context.signal?.throwIfAborted();
          try {
            const entry = await directory.lstat(name);
            entries.push({ name, type: entryType(entry), size: entry.size, modifiedAt: entry.mtime.toISOString() });
          } catch {
            // removed while listing
          }
        }
        return { output: { path: directory.relative, entries, truncated: names.length > MAX_LISTED_ENTRIES } };
      } finally {
        await directory.close();
      }
    } finally {
      await location.close();
    }
  },
});

export const readFileTool = defineTool({
  name: 'read_file',
  description: 'Reads a text file of the workspace (UTF-8), up to maxBytes; binary files are refused.',
  actionClass: ActionClass.Read,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({
    path: workspacePathArg.describe('File relative to the workspace'),
    maxBytes: z
      .number()
      .int()
      .min(1)
      .max(MAX_TEXT_BYTES)
      .default(64 * 1024),
  }),
  async run(args, context) {
    const location = await resolveConfined(context.workspaceDir, args.path);
    try {
      const { bytes, size } = await readHead(location, args.path, args.maxBytes);
      if (looksBinary(bytes)) throw new ExecutorException(ErrorCode.UnsupportedMediaType, `'${args.path}' is a binary file`);
      const truncated = size > bytes.length;
      return { output: { path: location.relative, size, content: decodeText(bytes, truncated), truncated } };
    } finally {
      await location.close();
    }
  },
});

interface SearchMatch {
  path: string;
  line: number;
  text: string;
}

/** Lines of `content` containing `pattern` literally (no regular expression: no ReDoS). */
export function findLiteralMatches(content: string, pattern: string, ignoreCase: boolean): { line: number; text: string }[] {
  const needle = ignoreCase ? pattern.toLowerCase() : pattern;
  const matches: { line: number; text: string }[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    const haystack = ignoreCase ? line.toLowerCase() : line;
    if (haystack.includes(needle))
      matches.push({ line: i + 1, text: line.length > MAX_MATCH_LINE_CHARS ? `${line.slice(0, MAX_MATCH_LINE_CHARS)}…` : line });
  }
  return matches;
}

export const searchFilesTool = defineTool({
  name: 'search_files',
  description:
    'Finds lines containing a plain-text pattern (not a regular expression) in the text files under a workspace path. ' +
    'Symbolic links and .git folders are not followed; files over 1 MiB and binary files are skipped; ' +
    'at most 20 000 files or 64 MiB are read (then truncated is true).',
  actionClass: ActionClass.Read,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({
    path: workspacePathArg.default('.').describe('File or directory relative to the workspace'),
    pattern: z.string().min(1).max(200).describe('Plain text to look for'),
    maxResults: z.number().int().min(1).max(1000).default(100),
    ignoreCase: z.boolean().default(false),
  }),
  async run(args, context) {
    const location = await resolveConfined(context.workspaceDir, args.path);
    const search: SearchState = {
      pattern: args.pattern,
      ignoreCase: args.ignoreCase,
      maxResults: args.maxResults,
      signal: context.signal,
      matches: [],
      filesSearched: 0,
      bytesSearched: 0,
      done: false,
      truncated: false,
    };
    try {
      const start = await openAt(location, args.path);
      if (start.stats.isDirectory()) {
        const directory = location.parent.adopt(start);
        try {
          await searchDirectory(directory, 0, search);
        } finally {
          await directory.close();
        }
      } else {
        try {
          await searchFile(start, location.relative, search);
        } finally {
          await start.handle.close();
        }
      }
    } finally {
      await location.close();
    }
    return { output: { matches: search.matches, filesSearched: search.filesSearched, truncated: search.truncated } };
  },
});

interface SearchState {
  readonly pattern: string;
  readonly ignoreCase: boolean;
  readonly maxResults: number;
  readonly signal?: AbortSignal;
  matches: SearchMatch[];
  filesSearched: number;
  bytesSearched: number;
  /** A limit was reached: stop everywhere. */
  done: boolean;
  truncated: boolean;
}

/** Searches one opened file (skipped unless a regular text file within the limits). */
async function searchFile(file: ConfinedEntry, relativePath: string, search: SearchState): Promise<void> {
  const { stats } = file;
  if (!stats.isFile() || stats.size > MAX_TEXT_BYTES) return;
  if (search.filesSearched >= MAX_SEARCHED_FILES || search.bytesSearched + stats.size > MAX_SEARCHED_BYTES) {
    search.truncated = true;
    search.done = true;
    return;
  }
  search.filesSearched++;
  search.bytesSearched += stats.size;
  const bytes = await readUpTo(file.handle, stats.size).catch(() => undefined);
  if (!bytes || looksBinary(bytes)) return;
  for (const match of findLiteralMatches(bytes.toString('utf8'), search.pattern, search.ignoreCase)) {
    if (search.matches.length >= search.maxResults) {
      search.truncated = true;
      search.done = true;
      return;
    }
    search.matches.push({ path: relativePath, ...match });
  }
}

/**
 * Depth first in name order, each folder and file opened through its parent's descriptor without
 * following links (links, .git folders and whatever vanished meanwhile are skipped).
 */
async function searchDirectory(directory: ConfinedDirectory, depth: number, search: SearchState): Promise<void> {
  const names = (await directory.readdir().catch(() => [] as string[])).sort();
  for (const name of names) {
    if (search.done) return;
    search.signal?.throwIfAborted();
    if (name === '.git') continue;
    const entry = await directory.lstat(name).catch(() => undefined);
    if (entry?.isDirectory()) {
      if (depth + 1 > MAX_SEARCH_DEPTH) {
        search.truncated = true;
        continue;
      }
      const child = await directory.openDirectory(name).catch(() => undefined);
      if (!child) continue;
      try {
        await searchDirectory(child, depth + 1, search);
      } finally {
        await child.close();
      }
    } else if (entry?.isFile() && entry.size <= MAX_TEXT_BYTES) {
      const file = await directory.open(name, READ_FLAGS).catch(() => undefined);
      if (!file) continue;
      try {
        await searchFile(file, directory.relativeOf(name), search);
      } finally {
        await file.handle.close();
      }
    }
  }
}

export interface WriteFileOutput {
  path: string;
  created: boolean;
  bytesWritten: number;
  /** null when the file did not exist. */
  previousContent: string | null;
  previousSha256: string | null;
  newSha256: string;
}

/** Reads the file being replaced, so governance can record how to put it back. */
async function previousVersion(
  location: ConfinedPath,
  userPath: string,
): Promise<{ content: string; sha256: string; stats: Stats } | null> {
  let opened: ConfinedEntry;
  try {
    opened = await openAt(location, userPath);
  } catch (error) {
    if (error instanceof ExecutorException && error.code === ErrorCode.NotFound) return null;
    throw error;
  }
  let bytes: Buffer;
  const { handle, stats } = opened;
  try {
    if (stats.isDirectory()) throw new ExecutorException(ErrorCode.ValidationFailed, `'${userPath}' is a directory`);
    if (!stats.isFile()) throw new ExecutorException(ErrorCode.ValidationFailed, `'${userPath}' is not a regular file`);
    if (stats.size > MAX_TEXT_BYTES) {
      throw new ExecutorException(
        ErrorCode.PayloadTooLarge,
        `'${userPath}' is over 1 MiB: its previous content could not be kept for rollback`,
      );
    }
    bytes = await readUpTo(handle, stats.size);
  } finally {
    await handle.close();
  }
  let content: string;
  try {
    if (looksBinary(bytes)) throw new Error('binary');
    content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ExecutorException(ErrorCode.UnsupportedMediaType, `'${userPath}' is not UTF-8 text: write_file only replaces text files`);
  }
  return { content, sha256: sha256(bytes), stats };
}

/**
 * Writes `content` to a new file beside `name` in the checked folder and renames it over: readers
 * see the old file or the new one, never half. Both names are taken through the folder's
 * descriptor, so nothing is created or replaced anywhere else. A server running as root gives the
 * file the owner it had (or its folder's), so the sandbox user can still change it.
 */
async function writeAtomically(
  folder: ConfinedDirectory,
  name: string,
  content: Buffer,
  mode: number,
  owner: Pick<Stats, 'uid' | 'gid'>,
): Promise<void> {
  const temporary = `.${name}.${randomUUID()}.aegis-tmp`;
  let handle: FileHandle;
  try {
    ({ handle } = await folder.open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode));
  } catch (error) {
    // Created (O_EXCL) but refused by the real-path check: remove it from the folder it went to.
    if (error instanceof ExecutorException) await unlink(folder.pathOf(temporary)).catch(() => undefined);
    throw error;
  }
  try {
    try {
      await handle.chmod(mode);
      await handle.writeFile(content);
      await handle.datasync();
      if (process.getuid?.() === 0) await handle.chown(owner.uid, owner.gid);
    } finally {
      await handle.close();
    }
    await rename(folder.pathOf(temporary), folder.pathOf(name));
  } catch (error) {
    await unlink(folder.pathOf(temporary)).catch(() => undefined);
    throw error;
  }
  await folder.handle.sync();
}

function insideGitFolder(relativePath: string): boolean {
  return relativePath.split(/[\\/]/).includes('.git');
}

function gitFolderRefusal(userPath: string): ExecutorException {
  return new ExecutorException(ErrorCode.Forbidden, `'${userPath}' is inside a .git folder (hooks and config there run code)`);
}

export const writeFileTool = defineTool({
  name: 'write_file',
  description:
    'Replaces (or creates) a UTF-8 text file of the workspace atomically; returns the previous content and both SHA-256 hashes. ' +
    'With expectedSha256, refuses unless the file currently has that hash. Paths inside .git are refused.',
  actionClass: ActionClass.Sensitive,
  minRole: Role.Admin,
  contentFields: ['content'],
  argsSchema: z.strictObject({
    path: workspacePathArg.describe('File relative to the workspace; its folder must exist'),
    content: z.string().max(MAX_TEXT_BYTES),
    expectedSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { error: 'must be a lowercase hex SHA-256' })
      .optional()
      .describe('Refuse unless the file now has this hash'),
  }),
  async run(args, context) {
    const workspace = resolve(context.workspaceDir);
    if (insideGitFolder(relative(workspace, resolve(workspace, args.path)))) throw gitFolderRefusal(args.path);
    let location: ConfinedPath;
    try {
      location = await resolveConfined(context.workspaceDir, args.path);
    } catch (error) {
      if (error instanceof ExecutorException && error.code === ErrorCode.NotFound) {
        throw new ExecutorException(ErrorCode.NotFound, `the folder of '${args.path}' does not exist`);
      }
      throw error;
    }
    try {
      if (location.relative === '.') throw new ExecutorException(ErrorCode.ValidationFailed, 'path must name a file, not the workspace');
      if (insideGitFolder(location.relative)) throw gitFolderRefusal(args.path);
      const content = Buffer.from(args.content, 'utf8');
      if (content.length > MAX_TEXT_BYTES) throw new ExecutorException(ErrorCode.PayloadTooLarge, 'content is over 1 MiB');
      const parent = await location.parent.handle.stat();
      const previous = await previousVersion(location, args.path);
      if (args.expectedSha256 !== undefined && previous?.sha256 !== args.expectedSha256) {
        throw new ExecutorException(
          ErrorCode.Conflict,
          `'${args.path}' has changed: expected sha256 ${args.expectedSha256}, found ${previous?.sha256 ?? 'no file'}`,
        );
      }
      context.signal?.throwIfAborted();
      try {
        await writeAtomically(
          location.parent,
          location.name,
          content,
          previous ? previous.stats.mode & 0o7777 : 0o644,
          previous?.stats ?? parent,
        );
      } catch (error) {
        throw fileSystemFailure(error, args.path);
      }
      const newSha256 = sha256(content);
      // The action has run: a file that cannot be read back fails the verification, not the call.
      const written = await readHead(location, args.path, MAX_TEXT_BYTES + 1).then(
        ({ bytes }) => sha256(bytes),
        (error: unknown) => `none (it could not be read back: ${error instanceof Error ? error.message : String(error)})`,
      );
      const path = location.relative;
      return {
        output: {
          path,
          created: previous === null,
          bytesWritten: content.length,
          previousContent: previous?.content ?? null,
          previousSha256: previous?.sha256 ?? null,
          newSha256,
        },
        verification: {
          verified: written === newSha256,
          detail: written === newSha256 ? `the file now has sha256 ${newSha256}` : `expected sha256 ${newSha256}, the file has ${written}`,
        },
        rollback: {
          kind: 'restore_file',
          path,
          previousContent: previous?.content ?? null,
          previousSha256: previous?.sha256 ?? null,
          currentSha256: newSha256,
        },
      };
    } finally {
      await location.close();
    }
  },
});
