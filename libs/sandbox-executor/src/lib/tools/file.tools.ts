import { createHash, randomUUID } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { ActionClass, ErrorCode, Role } from '@aegis/contracts';
import { z } from 'zod';
import { ExecutorException } from '../executor.types';
import { defineTool, fileSystemFailure, locate, looksBinary, workspacePathArg } from './tool-support';

const MAX_TEXT_BYTES = 1024 * 1024;
const MAX_LISTED_ENTRIES = 1000;
const MAX_SEARCHED_FILES = 20_000;
const MAX_SEARCHED_BYTES = 64 * 1024 * 1024;
const MAX_MATCH_LINE_CHARS = 300;

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

async function statOrFail(path: string, userPath: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    throw fileSystemFailure(error, userPath);
  }
}

/** Reads at most `maxBytes` of a regular file without following a final symlink; `size` is the whole file's. */
async function readHead(path: string, userPath: string, maxBytes: number): Promise<{ bytes: Buffer; size: number }> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO planted in the workspace must not hang the server.
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    throw fileSystemFailure(error, userPath);
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new ExecutorException(ErrorCode.ValidationFailed, `'${userPath}' is a directory`);
    if (!stats.isFile()) throw new ExecutorException(ErrorCode.ValidationFailed, `'${userPath}' is not a regular file`);
    const buffer = Buffer.alloc(Math.min(maxBytes, stats.size));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { bytes: buffer.subarray(0, filled), size: stats.size };
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
    const location = locate(context, args.path);
    const stats = await statOrFail(location.absolute, args.path);
    if (!stats.isDirectory()) throw new ExecutorException(ErrorCode.ValidationFailed, `'${args.path}' is not a directory`);
    const names = (await readdir(location.absolute)).sort();
    const entries = [];
    for (const name of names.slice(0, MAX_LISTED_ENTRIES)) {
      context.signal?.throwIfAborted();
      try {
        const entry = await lstat(join(location.absolute, name));
        entries.push({ name, type: entryType(entry), size: entry.size, modifiedAt: entry.mtime.toISOString() });
      } catch {
        // removed while listing
      }
    }
    return { output: { path: location.relative, entries, truncated: names.length > MAX_LISTED_ENTRIES } };
  },
});

export const readFileTool = defineTool({
  name: 'read_file',
  description: 'Reads a text file of the workspace (UTF-8), up to maxBytes; binary files are refused.',
  actionClass: ActionClass.Read,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({
    path: workspacePathArg.describe('File relative to the workspace'),
    maxBytes: z.number().int().min(1).max(MAX_TEXT_BYTES).default(64 * 1024),
  }),
  async run(args, context) {
    const location = locate(context, args.path);
    const { bytes, size } = await readHead(location.absolute, args.path, args.maxBytes);
    if (looksBinary(bytes)) throw new ExecutorException(ErrorCode.UnsupportedMediaType, `'${args.path}' is a binary file`);
    const truncated = size > bytes.length;
    return { output: { path: location.relative, size, content: decodeText(bytes, truncated), truncated } };
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
    if (haystack.includes(needle)) matches.push({ line: i + 1, text: line.length > MAX_MATCH_LINE_CHARS ? `${line.slice(0, MAX_MATCH_LINE_CHARS)}…` : line });
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
    const location = locate(context, args.path);
    const root = location.absolute;
    const matches: SearchMatch[] = [];
    let filesSearched = 0;
    let bytesSearched = 0;
    let truncated = false;
    const pending = [root];
    while (pending.length > 0) {
      context.signal?.throwIfAborted();
      const current = pending.pop() as string;
      let stats: Stats;
      try {
        stats = await lstat(current);
      } catch (error) {
        if (current === root) throw fileSystemFailure(error, args.path);
        continue;
      }
      if (stats.isDirectory()) {
        const names = await readdir(current).catch(() => [] as string[]);
        for (const name of names.sort().reverse()) if (name !== '.git') pending.push(join(current, name));
        continue;
      }
      if (!stats.isFile() || stats.size > MAX_TEXT_BYTES) continue;
      if (filesSearched >= MAX_SEARCHED_FILES || bytesSearched + stats.size > MAX_SEARCHED_BYTES) {
        truncated = true;
        break;
      }
      filesSearched++;
      bytesSearched += stats.size;
      const bytes = await readFile(current).catch(() => undefined);
      if (!bytes || looksBinary(bytes)) continue;
      for (const match of findLiteralMatches(bytes.toString('utf8'), args.pattern, args.ignoreCase)) {
        if (matches.length >= args.maxResults) {
          truncated = true;
          break;
        }
        matches.push({ path: relative(location.root, current).split(sep).join('/'), ...match });
      }
      if (truncated) break;
    }
    return { output: { matches, filesSearched, truncated } };
  },
});

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
async function previousVersion(path: string, userPath: string): Promise<{ content: string; sha256: string; stats: Stats } | null> {
  let stats: Stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    const failure = fileSystemFailure(error, userPath);
    if (failure instanceof ExecutorException && failure.code === ErrorCode.NotFound) return null;
    throw failure;
  }
  if (stats.isDirectory()) throw new ExecutorException(ErrorCode.ValidationFailed, `'${userPath}' is a directory`);
  if (!stats.isFile()) throw new ExecutorException(ErrorCode.ValidationFailed, `'${userPath}' is not a regular file`);
  if (stats.size > MAX_TEXT_BYTES) {
    throw new ExecutorException(ErrorCode.PayloadTooLarge, `'${userPath}' is over 1 MiB: its previous content could not be kept for rollback`);
  }
  const { bytes } = await readHead(path, userPath, MAX_TEXT_BYTES);
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
 * Writes `content` beside `target` and renames it over: readers see the old file or the new one,
 * never half. A server running as root gives the file the owner it had (or its folder's), so the
 * sandbox user can still change it.
 */
async function writeAtomically(target: string, content: Buffer, mode: number, owner: Pick<Stats, 'uid' | 'gid'>): Promise<void> {
  const temporary = join(dirname(target), `.${basename(target)}.${randomUUID()}.aegis-tmp`);
  const handle = await open(temporary, 'wx', mode);
  try {
    try {
      await handle.chmod(mode);
      await handle.writeFile(content);
      await handle.datasync();
      if (process.getuid?.() === 0) await handle.chown(owner.uid, owner.gid);
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  const directory = await open(dirname(target), constants.O_RDONLY);
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
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
    const location = locate(context, args.path);
    if (location.relative === '.') throw new ExecutorException(ErrorCode.ValidationFailed, 'path must name a file, not the workspace');
    if (location.relative.split('/').includes('.git')) {
      throw new ExecutorException(ErrorCode.Forbidden, `'${args.path}' is inside a .git folder (hooks and config there run code)`);
    }
    const content = Buffer.from(args.content, 'utf8');
    if (content.length > MAX_TEXT_BYTES) throw new ExecutorException(ErrorCode.PayloadTooLarge, 'content is over 1 MiB');
    const parent = await statOrFail(dirname(location.absolute), dirname(args.path));
    if (!parent.isDirectory()) throw new ExecutorException(ErrorCode.NotFound, `the folder of '${args.path}' does not exist`);
    const previous = await previousVersion(location.absolute, args.path);
    if (args.expectedSha256 !== undefined && previous?.sha256 !== args.expectedSha256) {
      throw new ExecutorException(
        ErrorCode.Conflict,
        `'${args.path}' has changed: expected sha256 ${args.expectedSha256}, found ${previous?.sha256 ?? 'no file'}`,
      );
    }
    context.signal?.throwIfAborted();
    try {
      await writeAtomically(location.absolute, content, previous ? previous.stats.mode & 0o7777 : 0o644, previous?.stats ?? parent);
    } catch (error) {
      throw fileSystemFailure(error, args.path);
    }
    const newSha256 = sha256(content);
    const written = sha256(await readFile(location.absolute));
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
  },
});
