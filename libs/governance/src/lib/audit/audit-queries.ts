import { AuditEntryEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { AuditLog, type ChainVerification } from './audit-log';

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

/** Reads the audit chain for admins: newest first, filtered, cursor-paginated; and verifies it. */
@Injectable()
export class AuditQueries {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
  ) {}

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
    const query = this.dataSource.getRepository(AuditEntryEntity).createQueryBuilder('entry');
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

  verify(): Promise<ChainVerification> {
    return this.auditLog.verify();
  }
}
