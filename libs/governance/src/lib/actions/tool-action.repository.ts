import { ToolActionEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { ROLLBACK_AVAILABLE_SQL } from '../rollback/rollback-description';
import { type ActionFilter, type ActionPage, type ActionRow, decodeCursor, encodeCursor, toActionListItem } from './action-list';

export type NewToolAction = Pick<
  ToolActionEntity,
  'tool' | 'actionClass' | 'actorType' | 'actorId' | 'actorName' | 'role' | 'runId' | 'approvalId' | 'argsSha256'
>;

export type ToolActionEnd = Pick<ToolActionEntity, 'status' | 'verification' | 'rollback' | 'errorCode' | 'errorMessage'>;

/**
 * tool_actions: one row per tool run, written before it runs and completed after, claimed for a
 * rollback; and the actions history of GET /api/actions (newest first, filtered, cursor-paginated,
 * with the arguments of each action's "started" audit entry).
 */
@Injectable()
export class ToolActionRepository {
  private readonly repository: Repository<ToolActionEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.repository = dataSource.getRepository(ToolActionEntity);
  }

  /** One INSERT … RETURNING id (save() would wrap it in BEGIN/COMMIT: two more round trips on every governed call). */
  async start(action: NewToolAction): Promise<ToolActionEntity> {
    const row = this.repository.create({ ...action, status: 'running', createdAt: new Date() });
    await this.repository.insert(row);
    return row;
  }

  async finish(id: string, end: ToolActionEnd): Promise<void> {
    await this.repository.update({ id }, { ...end, finishedAt: new Date() });
  }

  findById(id: string): Promise<ToolActionEntity | null> {
    return this.repository.findOneBy({ id });
  }

  /** Marks the action as rolled back before the undo runs, so two rollbacks cannot both run; false when one came first. */
  async claimRollback(id: string, by: { userId: string; name: string }): Promise<boolean> {
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set({ rolledBackAt: () => 'now()', rolledBackById: by.userId, rolledBackByName: by.name })
      .where('id = :id AND rolled_back_at IS NULL AND rollback IS NOT NULL', { id })
      .execute();
    return result.affected === 1;
  }

  /** Gives a failed undo back, so it can be tried again. */
  async releaseRollback(id: string): Promise<void> {
    await this.repository.update({ id }, { rolledBackAt: null, rolledBackById: null, rolledBackByName: null });
  }

  async list(filter: ActionFilter, callerIsAdmin: boolean): Promise<ActionPage> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const parameter = (value: unknown): string => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    if (filter.ownerUserId !== undefined) {
      const asUser = parameter(filter.ownerUserId);
      const keysOf = parameter(filter.ownerUserId);
      conditions.push(
        `((a.actor_type = 'user' AND a.actor_id = ${asUser}) OR (a.actor_type = 'api_key' AND a.actor_id IN (SELECT k.id::text FROM api_keys k WHERE k.user_id = ${keysOf}::uuid)))`,
      );
    }
    if (filter.actor !== undefined) {
      const actor = parameter(filter.actor);
      conditions.push(`(a.actor_id = ${actor} OR a.actor_name = ${actor})`);
    }
    if (filter.tool !== undefined) conditions.push(`a.tool = ${parameter(filter.tool)}`);
    if (filter.actionClass !== undefined) conditions.push(`a.action_class = ${parameter(filter.actionClass)}`);
    if (filter.status !== undefined) conditions.push(`a.status = ${parameter(filter.status)}`);
    switch (filter.verification) {
      case undefined:
        break;
      case 'none':
        conditions.push(`a.verification IS NULL`);
        break;
      case 'verified':
      case 'failed':
        conditions.push(`(a.verification->>'verified')::boolean = ${filter.verification === 'verified' ? 'true' : 'false'}`);
        break;
    }
    if (filter.rollbackable !== undefined) conditions.push(filter.rollbackable ? ROLLBACK_AVAILABLE_SQL : `NOT ${ROLLBACK_AVAILABLE_SQL}`);
    if (filter.from !== undefined) conditions.push(`a.created_at >= ${parameter(filter.from)}`);
    if (filter.to !== undefined) conditions.push(`a.created_at <= ${parameter(filter.to)}`);
    if (filter.cursor !== undefined) {
      const [createdAt, id] = decodeCursor(filter.cursor);
      conditions.push(`(a.created_at, a.id) < (${parameter(createdAt)}::timestamptz, ${parameter(id)}::uuid)`);
    }
    const limit = parameter(filter.limit + 1);
    const rows = await this.dataSource.query<ActionRow[]>(
      `SELECT a.id, a.tool, a.action_class, a.status, a.actor_type, a.actor_id, a.actor_name, a.role, a.run_id, a.approval_id,
              a.args_sha256, a.verification, a.rollback, a.error_code, a.error_message, a.created_at, a.finished_at,
              a.rolled_back_at, a.rolled_back_by_name,
              to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM tool_actions a
        ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY a.created_at DESC, a.id DESC
        LIMIT ${limit}`,
      parameters,
    );
    const page = rows.slice(0, filter.limit);
    const args = await this.auditedArgs(page);
    const items = page.map((row) => toActionListItem(row, args.get(row.id) ?? null, callerIsAdmin));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
  }

  /** Each action's arguments from its "started" audit entry (the registry writes it before the tool runs). */
  private async auditedArgs(rows: readonly ActionRow[]): Promise<Map<string, Record<string, unknown>>> {
    if (rows.length === 0) return new Map();
    const found = await this.dataSource.query<{ action_id: string; args: Record<string, unknown> }[]>(
      `SELECT DISTINCT ON (e.result->>'actionId') e.result->>'actionId' AS action_id, e.args
         FROM audit_entries e
        WHERE e.action = ANY($1::text[]) AND e.result->>'actionId' = ANY($2::text[]) AND e.result->>'status' = 'started'
        ORDER BY e.result->>'actionId', e.id`,
      [[...new Set(rows.map((row) => `tool.${row.tool}`))], rows.map((row) => row.id)],
    );
    return new Map(found.map((entry) => [entry.action_id, entry.args]));
  }
}
