import { type ActionClass, AegisError, ErrorCode, type Role, isUuid } from '@aegis/contracts';
import { describeRollback, type RollbackPreview } from '../rollback/rollback-description';

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

/** One tool_actions row as the actions list reads it. */
export interface ActionRow {
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

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const badCursor = () => new AegisError(ErrorCode.ValidationFailed, 'cursor must be the nextCursor of a previous page');

/** The cursor is the last item's (created_at to the microsecond, id), opaque to clients. */
export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw badCursor();
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || !CURSOR_TIME.test(createdAt) || typeof id !== 'string' || !isUuid(id)) throw badCursor();
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
      return row.verification
        ? `completed; ${row.verification.verified ? 'verified' : 'not verified'}: ${row.verification.detail}`
        : 'completed';
    case 'failed':
      return `failed: ${row.error_message ?? row.error_code ?? 'no reason recorded'}`;
  }
}

/** A row as the list shows it: audited arguments, verification state, summary, and what a rollback would do. */
export function toActionListItem(row: ActionRow, args: Record<string, unknown> | null, callerIsAdmin: boolean): ActionListItem {
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
    args,
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
}
