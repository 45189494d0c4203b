import type { ActionClass } from './action-class';

/** Where an approval request is in its life: pending → approved → executing → executed | failed, or rejected / expired. */
export type ApprovalStatus = 'pending' | 'approved' | 'executing' | 'executed' | 'failed' | 'rejected' | 'expired';

export const APPROVAL_STATUSES: readonly ApprovalStatus[] = [
  'pending',
  'approved',
  'executing',
  'executed',
  'failed',
  'rejected',
  'expired',
];

/** `approval:required`: a CRITICAL action waits for an admin. */
export interface ApprovalRequiredEvent {
  approvalId: string;
  tool: string;
  actionClass: ActionClass;
  requestedBy: { id: string; name: string; userId: string };
  justification: string;
  argsSha256: string;
  /** ISO 8601. */
  expiresAt: string;
  runId: string | null;
  /** The agent's tool call that asked (its `toolCallId` in `tool:call` / `tool:result`); null for HTTP/API requests. */
  toolCallId: string | null;
}

/** `approval:decided`: approved (after the action ran), rejected, or expired. */
export interface ApprovalDecidedEvent {
  approvalId: string;
  tool: string;
  status: 'approved' | 'rejected' | 'expired';
  /** Null when the request expired. */
  decidedBy: { id: string; name: string } | null;
  comment: string | null;
  /** The action an approval ran, and how it ended; null otherwise. */
  actionId: string | null;
  actionStatus: 'completed' | 'failed' | null;
  requestedByUserId: string;
  runId: string | null;
  /** As in `approval:required`: the agent's tool call that asked, or null. */
  toolCallId: string | null;
}
