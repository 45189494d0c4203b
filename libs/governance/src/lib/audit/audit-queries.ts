import { AuditEntryEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
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

/** Reads the audit chain for admins: newest first, filtered, cursor-paginated; and verifies it. */
@Injectable()
export class AuditQueries {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
  ) {}

  async list(filter: AuditFilter): Promise<AuditPage> {
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
    const rows = await query
      .orderBy('entry.id', 'DESC')
      .limit(filter.limit + 1)
      .getMany();
    const items = rows.slice(0, filter.limit);
    return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1].id : null };
  }

  verify(): Promise<ChainVerification> {
    return this.auditLog.verify();
  }
}
