import { type AuditActorType, AuditEntryEntity } from '@aegis/database';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { GENESIS_HASH, hashAuditEntry, type HashedAuditFields } from './audit-hash';
import { GovernanceException, GovernanceExceptionCode } from '../governance.exception';
import { redactSecrets } from './redact';
import { storableText } from './storable-text';

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

export interface ChainVerification {
  valid: boolean;
  checked: number;
  firstBrokenId: string | null;
}

/** Serialises appends across connections and API instances, so the chain never forks. */
const CHAIN_LOCK = 7_411_001;

@Injectable()
export class AuditLog {
  private readonly logger = new Logger(AuditLog.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends one entry; a store that cannot be written is AUDIT_UNAVAILABLE (503), never a raw
   * database error, so callers can stop before acting (docs/governance.md "Audit first").
   */
  async append(record: AuditRecord): Promise<AuditEntryEntity> {
    try {
      return await this.insert(record);
    } catch (error) {
      this.logger.error({ err: error, action: record.action }, 'could not write an audit entry');
      throw new GovernanceException(GovernanceExceptionCode.AuditUnavailable, 'The audit log cannot be written right now, so the request was stopped');
    }
  }

  private insert(record: AuditRecord): Promise<AuditEntryEntity> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
      const [last] = await manager.query<{ hash: string }[]>('SELECT hash FROM audit_entries ORDER BY id DESC LIMIT 1');
      const prevHash = last?.hash ?? GENESIS_HASH;
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
      const entry = manager.create(AuditEntryEntity, { ...fields, prevHash, hash: hashAuditEntry(prevHash, fields) });
      return manager.save(entry);
    });
  }

  /** Walks the chain in order and reports the first entry whose link or content does not match. */
  async verify(batchSize = 1000): Promise<ChainVerification> {
    const repository = this.dataSource.getRepository(AuditEntryEntity);
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let afterId = '0';
    for (;;) {
      const batch = await repository
        .createQueryBuilder('entry')
        .where('entry.id > :afterId', { afterId })
        .orderBy('entry.id', 'ASC')
        .limit(batchSize)
        .getMany();
      for (const entry of batch) {
        const { id: _id, hash, prevHash: storedPrev, ...fields } = entry;
        if (storedPrev !== prevHash || hashAuditEntry(prevHash, fields) !== hash) {
          return { valid: false, checked, firstBrokenId: entry.id };
        }
        prevHash = hash;
        checked++;
      }
      if (batch.length < batchSize) return { valid: true, checked, firstBrokenId: null };
      afterId = batch[batch.length - 1].id;
    }
  }
}
