import { type ActionClass, AegisError, ErrorCode, type Role } from '@aegis/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { describeRollback, ROLLBACK_AVAILABLE_SQL, type RollbackPreview } from '../rollback/rollback-description';

export type VerificationState = 'verified' | 'failed' | 'none';
export type ToolActionStatusName = 'running' | 'completed' | 'failed';

export interface ActionFilter {
  /** Only the actions of this user: run by them or by one of their API keys (non-admin callers). */
  ownerUserId?: string;
  /** A user or API key id, or the name the action recorded. */
  actor?: string;
  tool?: string;
  actionClass?: ActionClass;
  status?: ToolActionStatusName;
  verification?: VerificationState;
  /** Whether the action can be undone now (a restore or reset record, not yet rolled back). */
  rollbackable?: boolean;
  from?: Date;
  to?: Date;
  /** `nextCursor` of the previous page: actions older than it. */
  cursor?: string;
  limit: number;
}

export interface ActionListItem {
  id: string;
  tool: string;
  actionClass: ActionClass;
  status: ToolActionStatusName;
  actor: { type: 'user' | 'api_key' | 'system'; id: string | null; name: string | null; role: Role };
  runId: string | null;
  approvalId: string | null;
  /** The arguments as the audit log keeps them (secrets redacted, file contents as sha256 and size); null if no audit entry names the action. */
  args: Record<string, unknown> | null;
  argsSha256: string;
  verification: { verified: boolean; detail: string } | null;
  verificationState: VerificationState;
  /** How the action ended, in one sentence. */
  summary: string;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  rollback: RollbackPreview;
  /** The caller may roll it back now: it can be undone and the caller is an admin. */
  canRollback: boolean;
  rolledBackAt: Date | null;
  rolledBackByName: string | null;
}

export interface ActionPage {
  items: ActionListItem[];
  nextCursor: string | null;
}

interface ActionRow {
  id: string;
  tool: string;
  action_class: ActionClass;
  status: ToolActionStatusName;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  actor_name: string | null;
  role: Role;
  run_id: string | null;
  approval_id: string | null;
  args_sha256: string;
  verification: { verified: boolean; detail: string } | null;
  rollback: unknown;
  error_code: string | null;
  error_message: string | null;
  created_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  rolled_back_by_name: string | null;
  cursor_at: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const badCursor = () => new AegisError(ErrorCode.ValidationFailed, 'cursor must be the nextCursor of a previous page');

/** The cursor is the last item's (created_at to the microsecond, id), opaque to clients. */
function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw badCursor();
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || !CURSOR_TIME.test(createdAt) || typeof id !== 'string' || !UUID.test(id)) throw badCursor();
  return [createdAt, id];
}

function verificationStateOf(verification: ActionRow['verification']): VerificationState {
  if (!verification) return 'none';
  return verification.verified ? 'verified' : 'failed';
}

function summaryOf(row: ActionRow): string {
  switch (row.status) {
    case 'running':
      return 'running';
    case 'completed':
      return row.verification ? `completed; ${row.verification.verified ? 'verified' : 'not verified'}: ${row.verification.detail}` : 'completed';
    case 'failed':
      return `failed: ${row.error_message ?? row.error_code ?? 'no reason recorded'}`;
  }
}

/** tool_actions for GET /api/actions: newest first, filtered, cursor-paginated, with audited arguments and what a rollback would do. */
@Injectable()
export class ActionQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
    const items = page.map((row): ActionListItem => {
      const rollback = describeRollback({
        tool: row.tool,
        actionClass: row.action_class,
        status: row.status,
        rollback: row.rollback,
        rolledBackAt: row.rolled_back_at,
        rolledBackByName: row.rolled_back_by_name,
      });
      return {
        id: row.id,
        tool: row.tool,
        actionClass: row.action_class,
        status: row.status,
        actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name, role: row.role },
        runId: row.run_id,
        approvalId: row.approval_id,
        args: args.get(row.id) ?? null,
        argsSha256: row.args_sha256.trim(),
        verification: row.verification,
        verificationState: verificationStateOf(row.verification),
        summary: summaryOf(row),
        errorCode: row.error_code,
        errorMessage: row.error_message,
        createdAt: row.created_at,
        finishedAt: row.finished_at,
        rollback,
        canRollback: callerIsAdmin && rollback.available,
        rolledBackAt: row.rolled_back_at,
        rolledBackByName: row.rolled_back_by_name,
      };
    });
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
