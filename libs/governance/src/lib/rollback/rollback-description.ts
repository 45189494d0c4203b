import type { ActionClass } from '@aegis/contracts';
import { formatBytes, parseRollbackRecord, rollbackAvailability } from './rollback';

export { formatBytes };

/** What undoing a recorded action would do, said before anyone clicks (GET /api/actions). */
export interface RollbackPreview {
  /** The action can be undone now (by an admin): a record that can be acted on, not yet rolled back. */
  available: boolean;
  kind: 'restore_file' | 'git_reset' | 'apt_remove' | null;
  /** In words: what would be restored or deleted, or why nothing can be undone. */
  description: string;
}

export interface RecordedRollback {
  tool: string;
  actionClass: ActionClass;
  status: string;
  /** tool_actions.rollback as stored (a file's previous content sealed, see RollbackVault). */
  rollback: unknown;
  rolledBackAt: Date | null;
  rolledBackByName: string | null;
}

/**
 * Bytes of the previous content without opening it: AES-GCM ciphertext is as long as the text, so
 * the size is read from the sealed text's length and nothing secret is decrypted for a list.
 */
function previousContentBytes(stored: Record<string, unknown>): number | undefined {
  const sealed = stored['sealedPreviousContent'];
  if (typeof sealed === 'string') {
    const text = sealed.split('.')[3];
    return text === undefined ? undefined : Buffer.from(text, 'base64').length;
  }
  const plain = stored['previousContent'];
  return typeof plain === 'string' ? Buffer.byteLength(plain, 'utf8') : undefined;
}

const shortCommit = (commit: string): string => commit.slice(0, 12);

/** What a rollback of this action would do, from what tool_actions stores; never decrypts. */
export function describeRollback(action: RecordedRollback): RollbackPreview {
  if (action.rolledBackAt) {
    const by = action.rolledBackByName ? ` by ${action.rolledBackByName}` : '';
    const kind = parseRollbackRecord(stripSealed(action.rollback))?.kind ?? null;
    return { available: false, kind, description: `already rolled back${by} at ${action.rolledBackAt.toISOString()}` };
  }
  if (action.status === 'running') return { available: false, kind: null, description: 'the action is still running' };
  const stored =
    typeof action.rollback === 'object' && action.rollback !== null && !Array.isArray(action.rollback)
      ? (action.rollback as Record<string, unknown>)
      : null;
  const record = stored ? parseRollbackRecord(stripSealed(stored)) : null;
  if (!stored || !record) {
    const availability = rollbackAvailability(action.tool, action.actionClass, null);
    return { available: false, kind: null, description: availability.reason ?? 'the action cannot be undone' };
  }
  switch (record.kind) {
    case 'restore_file': {
      const bytes = previousContentBytes(stored);
      if (bytes === undefined) return { available: true, kind: record.kind, description: `deletes the created file '${record.path}'` };
      return { available: true, kind: record.kind, description: `restores '${record.path}' as it was before (${formatBytes(bytes)})` };
    }
    case 'git_reset':
      return {
        available: true,
        kind: record.kind,
        description: `resets '${record.repo}' from ${shortCommit(record.currentHead)} back to ${shortCommit(record.previousHead)} (git reset --keep)`,
      };
    case 'apt_remove':
      return {
        available: false,
        kind: record.kind,
        description: rollbackAvailability(action.tool, action.actionClass, record).reason ?? 'cannot be undone',
      };
  }
}

/** The record as parseRollbackRecord reads it: a sealed previous content stands in for `previousContent`. */
function stripSealed(stored: unknown): unknown {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return stored;
  const { sealedPreviousContent: _sealed, ...rest } = stored as Record<string, unknown>;
  return rest;
}

/**
 * SQL condition (over tool_actions as `a`) true exactly when describeRollback says `available`:
 * a restore or reset record, not yet rolled back, on a finished action.
 */
export const ROLLBACK_AVAILABLE_SQL = `coalesce(a.rollback IS NOT NULL AND a.rolled_back_at IS NULL AND a.status <> 'running' AND a.rollback->>'kind' IN ('restore_file', 'git_reset'), false)`;
