import { AuditEntryEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import type { HashedAuditFields } from './audit-hash';

export interface AuditFilter {
  /** A user or API key id, or a username. */
  actor?: string;
  /** An action (`tool.write_file`), or a prefix ending in `*` (`tool.*`). */
  action?: string;
  actionClass?: string;
  decision?: string;
  from?: Date;
  to?: Date;
  /** The `nextCursor` of the previous page: entries older than it. */
  cursor?: string;
  limit: number;
}

export interface AuditPage {
  items: AuditEntryEntity[];
  nextCursor: string | null;
}

/** Entries the export reads per query: it never holds more than one batch. */
export const AUDIT_EXPORT_BATCH_SIZE = 500;

/** Serialises appends across connections and API instances, so the chain never forks. */
const CHAIN_LOCK = 7_411_001;

/** An entry's place in the chain: the previous entry's hash and its own. */
export interface ChainLink {
  prevHash: string;
  hash: string;
}

const CHAIN_COLUMNS = [
  'created_at',
  'actor_type',
  'actor_id',
  'actor_name',
  'role',
  'run_id',
  'action',
  'action_class',
  'decision',
  'reason',
  'args',
  'result',
  'ip',
  'user_agent',
  'prev_hash',
  'hash',
];
const CHAIN_COLUMN_CASTS = CHAIN_COLUMNS.map((column) => (column === 'args' || column === 'result' ? '::jsonb' : ''));

/** One entry's values in CHAIN_COLUMNS order; jsonb goes as JSON text (a null result stays SQL NULL). */
function chainRowValues(fields: HashedAuditFields, link: ChainLink): unknown[] {
  return [
    fields.createdAt.toISOString(),
    fields.actorType,
    fields.actorId,
    fields.actorName,
    fields.role,
    fields.runId,
    fields.action,
    fields.actionClass,
    fields.decision,
    fields.reason,
    JSON.stringify(fields.args),
    fields.result === null ? null : JSON.stringify(fields.result),
    fields.ip,
    fields.userAgent,
    link.prevHash,
    link.hash,
  ];
}

/**
 * audit_entries: appending at the chain's end under one lock, reading the chain in order for
 * verification, and the admins' reads (newest first, filtered, cursor-paginated, in batches).
 * The chain's rules (redaction, hashing, what breaks it) are AuditLog's.
 */
@Injectable()
export class AuditRepository {
  private readonly entries: Repository<AuditEntryEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.entries = dataSource.getRepository(AuditEntryEntity);
  }

  /**
   * Inserts `batch` after the last entry in one transaction under the chain lock, with one
   * multi-row INSERT: `link` gets the last entry's hash (null for the first) and answers each
   * entry's prevHash and hash, in the batch's order. The entries come back in that order.
   */
  appendToChain(batch: HashedAuditFields[], link: (lastHash: string | null) => ChainLink[]): Promise<AuditEntryEntity[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
      const [last] = await manager.query<{ hash: string }[]>('SELECT hash FROM audit_entries ORDER BY id DESC LIMIT 1');
      const links = link(last?.hash ?? null);
      const params: unknown[] = [];
      const rows = batch.map((fields, index) => {
        const values = chainRowValues(fields, links[index]);
        const placeholders = values.map((_, column) => `$${params.length + column + 1}${CHAIN_COLUMN_CASTS[column]}`);
        params.push(...values);
        return `(${placeholders.join(', ')})`;
      });
      const inserted = await manager.query<{ id: string | number | bigint }[]>(
        `INSERT INTO audit_entries (${CHAIN_COLUMNS.join(', ')}) VALUES ${rows.join(', ')} RETURNING id`,
        params,
      );
      const ids = inserted.map((row) => String(row.id));
      // The chain is read back in id order: ids that do not rise in the batch's order would break it, so nothing is committed.
      if (ids.length !== batch.length || ids.some((id, index) => index > 0 && BigInt(id) <= BigInt(ids[index - 1]))) {
        throw new Error('the audit batch was not given ascending ids in its order');
      }
      return batch.map((fields, index) => Object.assign(new AuditEntryEntity(), { id: ids[index], ...fields, ...links[index] }));
    });
  }

  /** Up to `batchSize` entries after `afterId`, oldest first (the chain's order). */
  chainAfter(afterId: string, batchSize: number): Promise<AuditEntryEntity[]> {
    return this.entries
      .createQueryBuilder('entry')
      .where('entry.id > :afterId', { afterId })
      .orderBy('entry.id', 'ASC')
      .limit(batchSize)
      .getMany();
  }

  async list(filter: AuditFilter): Promise<AuditPage> {
    const rows = await this.filtered(filter)
      .orderBy('entry.id', 'DESC')
      .limit(filter.limit + 1)
      .getMany();
    const items = rows.slice(0, filter.limit);
    return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1].id : null };
  }

  /**
   * Every entry the filter matches, newest first, read a batch at a time (keyset on id) as the
   * consumer asks for them: the export streams the whole chain without holding it in memory.
   */
  async *batches(filter: Omit<AuditFilter, 'limit'>, batchSize = AUDIT_EXPORT_BATCH_SIZE): AsyncGenerator<AuditEntryEntity[]> {
    let cursor = filter.cursor;
    for (;;) {
      const page = await this.list({ ...filter, cursor, limit: batchSize });
      if (page.items.length > 0) yield page.items;
      if (page.nextCursor === null) return;
      cursor = page.nextCursor;
    }
  }

  private filtered(filter: Omit<AuditFilter, 'limit'>): SelectQueryBuilder<AuditEntryEntity> {
    const query = this.entries.createQueryBuilder('entry');
    if (filter.actor !== undefined) query.andWhere('(entry.actor_id = :actor OR entry.actor_name = :actor)', { actor: filter.actor });
    if (filter.action !== undefined) {
      if (filter.action.endsWith('*')) {
        const prefix = filter.action.slice(0, -1).replace(/[\\%_]/g, (character) => `\\${character}`);
        query.andWhere(`entry.action LIKE :prefix ESCAPE '\\'`, { prefix: `${prefix}%` });
      } else {
        query.andWhere('entry.action = :action', { action: filter.action });
      }
    }
    if (filter.actionClass !== undefined) query.andWhere('entry.action_class = :actionClass', { actionClass: filter.actionClass });
    if (filter.decision !== undefined) query.andWhere('entry.decision = :decision', { decision: filter.decision });
    if (filter.from !== undefined) query.andWhere('entry.created_at >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('entry.created_at <= :to', { to: filter.to });
    if (filter.cursor !== undefined) query.andWhere('entry.id < :cursor', { cursor: filter.cursor });
    return query;
  }
}
