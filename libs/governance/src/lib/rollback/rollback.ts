import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { ActionClass, ErrorCode, Role } from '@aegis/contracts';
import {
  type CommandRunner,
  type ConfinedPath,
  ExecutorException,
  resolveConfined,
  type RollbackRecord,
  type ToolInvocation,
  type ToolOutcome,
} from '@aegis/sandbox-executor';
import { z } from 'zod';
import { GovernanceException } from '../governance.exception';
import type { RollbackAvailability } from '../governance.types';
import { compareSeverity } from '../severity';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const gitCommit = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/);

/** A rollback record read back from the database, checked before anything acts on it. */
const rollbackRecordSchema: z.ZodType<RollbackRecord> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('restore_file'),
    path: z.string().min(1),
    previousContent: z.string().nullable(),
    previousSha256: sha256Hex.nullable(),
    currentSha256: sha256Hex,
  }),
  z.object({ kind: z.literal('git_reset'), repo: z.string().min(1), previousHead: gitCommit, currentHead: gitCommit }),
  z.object({ kind: z.literal('apt_remove'), packages: z.array(z.string()).min(1) }),
]);

export function parseRollbackRecord(value: unknown): RollbackRecord | null {
  const parsed = rollbackRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Why tools that keep no rollback record cannot be undone. */
const NO_RECORD_REASONS: Readonly<Record<string, string>> = {
  docker_restart: 'a restart cannot be undone (restart the container again if needed)',
  systemd_restart: 'a restart cannot be undone (restart the unit again if needed)',
  apt_update: 'refreshed package lists cannot be restored',
  apt_install: 'no package was newly installed, so there is nothing to remove',
  git_pull: 'HEAD did not move, so there is nothing to reset',
  execute_command: "a command's effects are not recorded; undo them with another command",
};

/** Whether an action can be undone, said up front in its result. */
export function rollbackAvailability(tool: string, actionClass: ActionClass, record: RollbackRecord | null): RollbackAvailability {
  if (record) {
    switch (record.kind) {
      case 'restore_file':
        return {
          available: true,
          kind: record.kind,
          reason:
            record.previousContent === null
              ? `undo deletes the created file '${record.path}'`
              : `undo restores the previous content of '${record.path}'`,
        };
      case 'git_reset':
        return { available: true, kind: record.kind, reason: `undo resets '${record.repo}' to ${record.previousHead} (git reset --keep)` };
      case 'apt_remove':
        return {
          available: false,
          kind: record.kind,
          reason:
            `Aegis does not remove packages itself: apt-get remove can take packages that depend on them along. ` +
            `Newly installed: ${record.packages.join(', ')}; remove them by hand if needed`,
        };
    }
  }
  if (compareSeverity(actionClass, ActionClass.Moderate) < 0)
    return { available: false, reason: 'nothing to undo: this action changes nothing' };
  return { available: false, reason: NO_RECORD_REASONS[tool] ?? 'the tool recorded no way to undo this action' };
}

export interface UndoContext {
  workspaceDir: string;
  runner: CommandRunner;
  /** Runs a catalogue tool for the undo (write_file restores content); only the registry can give this. */
  runTool(name: string, args: Record<string, unknown>, invocation: ToolInvocation): Promise<ToolOutcome>;
  justification: string;
  signal?: AbortSignal;
}

/** "812 bytes", "1.2 KB", "3.4 MB" (1 KB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Deletes a file the action created, only if it still has the content the action wrote. */
async function deleteCreatedFile(record: Extract<RollbackRecord, { kind: 'restore_file' }>, context: UndoContext): Promise<string> {
  const gone = () => new GovernanceException(ErrorCode.RollbackUnavailable, `'${record.path}' no longer exists: nothing to undo`);
  let location: ConfinedPath;
  try {
    // Opened step by step without following links (docs/sandbox.md "Host-side file tools"): the sandbox may be changing the workspace.
    location = await resolveConfined(context.workspaceDir, record.path);
  } catch (error) {
    if (error instanceof ExecutorException && error.code === ErrorCode.NotFound) throw gone();
    throw error;
  }
  try {
    let content: Buffer;
    try {
      const { handle, stats } = await location.parent.open(location.name, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        if (!stats.isFile())
          throw new GovernanceException(ErrorCode.Conflict, `'${record.path}' is no longer a regular file; it is left as it is`);
        content = await handle.readFile();
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (error instanceof GovernanceException || error instanceof ExecutorException) throw error;
      const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
      if (code === 'ENOENT') throw gone();
      if (code === 'ELOOP')
        throw new GovernanceException(ErrorCode.Conflict, `'${record.path}' is now a symbolic link; it is left as it is`);
      throw error;
    }
    const found = sha256(content);
    if (found !== record.currentSha256) {
      throw new GovernanceException(
        ErrorCode.Conflict,
        `'${record.path}' has changed since the action (sha256 ${found}, expected ${record.currentSha256}); it is left as it is`,
      );
    }
    // The name is removed from the folder that was checked, wherever a link elsewhere now points.
    await unlink(location.parent.pathOf(location.name));
  } finally {
    await location.close();
  }
  return `deleted '${record.path}', which the action had created`;
}

async function restoreFile(record: Extract<RollbackRecord, { kind: 'restore_file' }>, context: UndoContext): Promise<string> {
  if (record.previousContent === null) return deleteCreatedFile(record, context);
  // write_file refuses (CONFLICT) unless the file still has the content the action wrote.
  const outcome = await context.runTool(
    'write_file',
    { path: record.path, content: record.previousContent, expectedSha256: record.currentSha256 },
    { role: Role.Admin, justification: context.justification, signal: context.signal },
  );
  if (!outcome.verification?.verified) {
    throw new GovernanceException(
      ErrorCode.VerificationFailed,
      `restoring '${record.path}' could not be verified: ${outcome.verification?.detail ?? 'no check'}`,
    );
  }
  const size = formatBytes(Buffer.byteLength(record.previousContent, 'utf8'));
  return `restored the previous content of '${record.path}' (${size}, sha256 ${record.previousSha256 ?? 'none'})`;
}

async function gitReset(record: Extract<RollbackRecord, { kind: 'git_reset' }>, context: UndoContext): Promise<string> {
  const git = (...args: string[]) =>
    context.runner.execute({
      argv: ['git', ...args],
      role: Role.Admin,
      cwd: record.repo,
      signal: context.signal,
      justification: context.justification,
    });
  const head = await git('rev-parse', '--verify', 'HEAD');
  const current = head.stdout.trim();
  if (head.exitCode !== 0 || current !== record.currentHead) {
    throw new GovernanceException(
      ErrorCode.Conflict,
      `'${record.repo}' is at ${current || 'an unknown commit'}, not ${record.currentHead} as the action left it; it is left as it is`,
    );
  }
  // --keep refuses instead of discarding local changes to files the reset would touch.
  const reset = await git('reset', '--keep', record.previousHead);
  if (reset.exitCode !== 0) {
    throw new GovernanceException(
      ErrorCode.Conflict,
      `git reset --keep in '${record.repo}' failed (exit ${reset.exitCode}): ${reset.stderr.trim().split('\n')[0] ?? ''}`,
    );
  }
  const after = (await git('rev-parse', '--verify', 'HEAD')).stdout.trim();
  if (after !== record.previousHead) {
    throw new GovernanceException(
      ErrorCode.VerificationFailed,
      `'${record.repo}' is at ${after} after the reset, not ${record.previousHead}`,
    );
  }
  return `reset '${record.repo}' from ${record.currentHead} to ${record.previousHead}`;
}

/** Undoes one recorded action; refuses (ROLLBACK_UNAVAILABLE / CONFLICT) rather than guess. */
export function undo(record: RollbackRecord, context: UndoContext): Promise<string> {
  switch (record.kind) {
    case 'restore_file':
      return restoreFile(record, context);
    case 'git_reset':
      return gitReset(record, context);
    case 'apt_remove':
      return Promise.reject(
        new GovernanceException(
          ErrorCode.RollbackUnavailable,
          rollbackAvailability('apt_install', ActionClass.Critical, record).reason ?? 'cannot be undone',
        ),
      );
  }
}
