import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { RollbackRecord } from '@aegis/sandbox-executor';
import { GovernanceException, GovernanceExceptionCode } from '../governance.exception';
import { parseRollbackRecord } from '../rollback/rollback';

/** A rollback record as tool_actions.rollback stores it. */
export type StoredRollback = Record<string, string | string[] | null>;

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';

/**
 * Seals what a rollback record keeps of a file's previous content (it may hold secrets) with
 * AES-256-GCM under a key derived from the JWT secret, as auth derives its CSRF key; the sealed
 * text is bound to the file's path and hash. Only tool_actions holds it, never the audit
 * (docs/governance.md "Rollback records"). A changed JWT_SECRET makes old records unreadable,
 * which only means those actions can no longer be undone.
 */
export class RollbackVault {
  readonly #key: Buffer;

  constructor(serverSecret: string) {
    if (serverSecret.length === 0) throw new Error('RollbackVault needs the JWT secret');
    this.#key = createHmac('sha256', serverSecret).update('aegis rollback key v1').digest();
  }

  seal(record: RollbackRecord): StoredRollback {
    if (record.kind !== 'restore_file' || record.previousContent === null) return { ...record };
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.#key, iv);
    cipher.setAAD(this.binding(record.path, record.currentSha256));
    const sealed = Buffer.concat([cipher.update(record.previousContent, 'utf8'), cipher.final()]);
    const sealedPreviousContent = [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), sealed.toString('base64')].join(
      '.',
    );
    return { ...record, previousContent: null, sealedPreviousContent };
  }

  /** The record to act on, or null when there is none; a sealed content that cannot be opened is ROLLBACK_UNAVAILABLE. */
  open(stored: unknown): RollbackRecord | null {
    if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return null;
    const { sealedPreviousContent, ...rest } = stored as Record<string, unknown>;
    if (sealedPreviousContent === undefined) return parseRollbackRecord(rest);
    const record = parseRollbackRecord(rest);
    if (record?.kind !== 'restore_file' || typeof sealedPreviousContent !== 'string') return null;
    return { ...record, previousContent: this.unseal(sealedPreviousContent, record.path, record.currentSha256) };
  }

  private unseal(sealed: string, path: string, currentSha256: string): string {
    const [version, iv, tag, text, extra] = sealed.split('.');
    try {
      if (version !== VERSION || !iv || !tag || text === undefined || extra !== undefined) throw new Error('not a sealed record');
      const decipher = createDecipheriv(ALGORITHM, this.#key, Buffer.from(iv, 'base64'));
      decipher.setAAD(this.binding(path, currentSha256));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(text, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new GovernanceException(
        GovernanceExceptionCode.RollbackUnavailable,
        `The previous content of '${path}' cannot be opened (it was sealed under another JWT_SECRET, or changed)`,
      );
    }
  }

  private binding(path: string, currentSha256: string): Buffer {
    return Buffer.from(`${path}\n${currentSha256}`, 'utf8');
  }
}
