import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { ErrorCode } from '@aegis/contracts';
import { type ConfinedEntry, type ConfinedPath, mapFailure, readUpTo } from '../confined-fs';
import { ExecutorException } from '../executor.types';

// What the host-side file tools share (docs/sandbox.md "Host-side file tools"): opening a name inside the
// workspace without following a link, reading a bounded head of a file, and digests.

/** The most text a file tool reads, writes or searches in one file. */
export const MAX_TEXT_BYTES = 1024 * 1024;
/** Read-only, and a FIFO planted in the workspace must not hang the server. */
export const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export function entryType(stats: Stats): EntryType {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'directory';
  if (stats.isFile()) return 'file';
  return 'other';
}

/** Hex SHA-256, as the tools' verifications and rollback records name a content. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Opens the last name of `location` (never through a link) and checks it is inside the workspace. */
export function openAt(location: ConfinedPath, userPath: string, flags = READ_FLAGS, mode?: number): Promise<ConfinedEntry> {
  return mapFailure(location.parent.open(location.name, flags, mode), userPath);
}

/**
 * Reads at most `maxBytes` of the regular file at `location` without following a link anywhere
 * on its path; `size` is the whole file's.
 */
export async function readHead(location: ConfinedPath, userPath: string, maxBytes: number): Promise<{ bytes: Buffer; size: number }> {
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
export function decodeText(bytes: Uint8Array, truncated: boolean): string {
  return new TextDecoder('utf-8').decode(bytes, { stream: truncated });
}
