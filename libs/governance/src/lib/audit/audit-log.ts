import type { AuditActorType, AuditEntryEntity } from '@aegis/database';
import { Injectable, Logger, Optional } from '@nestjs/common';
import { GENESIS_HASH, hashAuditEntry, type HashedAuditFields } from './audit-hash';
import { AuditRepository, type ChainLink } from './audit.repository';
import { GroupCommit } from './group-commit';
import { GovernanceException, GovernanceExceptionCode } from '../governance.exception';
import { redactSecrets } from './redact';
import { storableText } from './storable-text';
import { GovernanceTelemetry } from '../telemetry/governance-telemetry';

export interface AuditActor {
  type: AuditActorType;
  id?: string;
  name?: string;
  role?: string;
}

/** What callers record; the log adds the time, redacts secrets and links the entry into the chain. */
export interface AuditRecord {
  actor: AuditActor;
  action: string;
  decision: string;
  actionClass?: string;
  reason?: string;
  runId?: string;
  args?: Record<string, unknown>;
  result?: Record<string, unknown>;
  ip?: string;
  userAgent?: string;
}

/** The first entry where the chain no longer holds, and why, in words. */
export interface BrokenAuditEntry {
  id: string;
  /** 1 for the oldest entry. */
  position: number;
  createdAt: Date;
  reason: string;
}

export interface ChainVerification {
  valid: boolean;
  /** Entries found intact before the first broken one (all of them when valid). */
  checked: number;
  firstBrokenId: string | null;
  firstBroken: BrokenAuditEntry | null;
  /** The answer in a sentence, for people. */
  message: string;
}

const BROKEN_LINK = 'its prev_hash is not the hash of the entry before it: an earlier entry was removed, or rewritten along with its hash';
const CHANGED_CONTENT = 'its content no longer matches its hash: the entry was changed after it was written';

/** Entries one transaction appends at most (16 parameters each, well under PostgreSQL's 65,535). */
const MAX_CHAIN_BATCH = 256;

/** Links `batch` after the entry whose hash is `lastHash` (null: the chain is empty), each entry to the one before it. */
function linkBatch(lastHash: string | null, batch: HashedAuditFields[]): ChainLink[] {
  let prevHash = lastHash ?? GENESIS_HASH;
  return batch.map((fields) => {
    const link = { prevHash, hash: hashAuditEntry(prevHash, fields) };
    prevHash = link.hash;
    return link;
  });
}

function broken(entry: AuditEntryEntity, checked: number, reason: string): ChainVerification {
  const position = checked + 1;
  return {
    valid: false,
    checked,
    firstBrokenId: entry.id,
    firstBroken: { id: entry.id, position, createdAt: entry.createdAt, reason },
    message: `The chain is broken at entry ${entry.id} (position ${position}, written ${entry.createdAt.toISOString()}): ${reason}`,
  };
}

/** The audit chain's rules (docs/governance.md "Audit"): what an entry keeps, how it is linked, what breaks the chain; AuditRepository holds the SQL. */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger(AuditLog.name);
  /** Appends that arrive while a batch is written go together in the next one: one transaction, one lock (docs/governance.md "Audit"). */
  private readonly chain: GroupCommit<HashedAuditFields, AuditEntryEntity>;

  constructor(
    private readonly entries: AuditRepository,
    @Optional() private readonly telemetry?: GovernanceTelemetry,
  ) {
    this.chain = new GroupCommit((batch) => this.entries.appendToChain(batch, (lastHash) => linkBatch(lastHash, batch)), MAX_CHAIN_BATCH);
  }

  /**
   * Appends one entry (with the others waiting at that moment, in one transaction); a store that cannot be written is AUDIT_UNAVAILABLE (503), never a raw
   * database error, so callers can stop before acting (docs/governance.md "Audit first").
   */
  async append(record: AuditRecord): Promise<AuditEntryEntity> {
    try {
      const entry = await this.insert(record);
      this.telemetry?.auditAppended('written');
      return entry;
    } catch (error) {
      this.telemetry?.auditAppended('failed');
      this.logger.error({ err: error, action: record.action }, 'could not write an audit entry');
      throw new GovernanceException(
        GovernanceExceptionCode.AuditUnavailable,
        'The audit log cannot be written right now, so the request was stopped',
      );
    }
  }

  private insert(record: AuditRecord): Promise<AuditEntryEntity> {
    // Hashed as stored: a NUL or lone surrogate that slipped past the door is kept as a visible escape.
    const fields: HashedAuditFields = storableText({
      createdAt: new Date(),
      actorType: record.actor.type,
      actorId: record.actor.id ?? null,
      actorName: record.actor.name ?? null,
      role: record.actor.role ?? null,
      runId: record.runId ?? null,
      action: record.action,
      actionClass: record.actionClass ?? null,
      decision: record.decision,
      reason: record.reason ?? null,
      args: redactSecrets(record.args ?? {}),
      result: record.result ? redactSecrets(record.result) : null,
      ip: record.ip ?? null,
      userAgent: record.userAgent?.slice(0, 512) ?? null,
    });
    return this.chain.submit(fields);
  }

  /** Walks the chain in order and reports the first entry whose link or content does not match. */
  async verify(batchSize = 1000): Promise<ChainVerification> {
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let afterId = '0';
    for (;;) {
      const batch = await this.entries.chainAfter(afterId, batchSize);
      for (const entry of batch) {
        const { id: _id, hash, prevHash: storedPrev, ...fields } = entry;
        if (storedPrev !== prevHash) return broken(entry, checked, BROKEN_LINK);
        if (hashAuditEntry(prevHash, fields) !== hash) return broken(entry, checked, CHANGED_CONTENT);
        prevHash = hash;
        checked++;
      }
      if (batch.length < batchSize) {
        const message =
          checked === 0
            ? 'The chain is empty: there is nothing to check yet'
            : `The chain is intact: ${checked} ${checked === 1 ? 'entry matches its hash and link' : 'entries match their hashes and links'}`;
        return { valid: true, checked, firstBrokenId: null, firstBroken: null, message };
      }
      afterId = batch[batch.length - 1].id;
    }
  }
}
