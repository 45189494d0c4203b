import { randomUUID } from 'node:crypto';
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
  readUpTo,
  resolveConfined,
} from '../confined-fs';
import { ExecutorException } from '../executor.types';
import { defineTool, looksBinary, workspacePathArg } from './tool-support';
import { MAX_TEXT_BYTES, openAt, readHead, sha256 } from './workspace-files';

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
