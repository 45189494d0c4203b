import type { ActionClass, ConfirmationAnswer, RunStatus, ToolCallStatus } from '@aegis/contracts';

/**
 * The chat's view model: what the thread renders, built from the stored messages
 * (GET /api/conversations/:id/messages) and the live socket events of a run (docs/web.md "Chat").
 */

/** Where a tool call is: still running, waiting on a person, or how it ended. */
export type ToolCallPhase = 'running' | 'awaiting-approval' | 'awaiting-confirmation' | ToolCallStatus;

export interface PendingApprovalView {
  approvalId: string;
  /** ISO 8601: the request expires, and the action does not run, at this time. */
  expiresAt: string;
  requestedBy: string;
  justification: string;
  /** The requester is an admin: another admin must decide (four eyes). */
  needsAnotherAdmin: boolean;
}

export interface ApprovalDecisionView {
  status: 'approved' | 'rejected' | 'expired';
  /** Null when the request expired. */
  decidedBy: string | null;
  comment: string | null;
}

export interface PendingConfirmationView {
  confirmationId: string;
  /** ISO 8601. */
  expiresAt: string;
  /** Written by the model: shown as its reason, never as a reason to trust. */
  justification: string | null;
  /** The arguments as the audit shows them. */
  args: Record<string, unknown>;
}

export interface ToolCallView {
  toolCallId: string;
  tool: string;
  args: unknown;
  /** The class governance decided; while running, the tool's declared class when known; null if never classified. */
  actionClass: ActionClass | null;
  phase: ToolCallPhase;
  /** The result, or the refusal's / failure's reason in words. */
  output: unknown;
  errorCode: string | null;
  actionId: string | null;
  approval: PendingApprovalView | null;
  approvalDecision: ApprovalDecisionView | null;
  confirmation: PendingConfirmationView | null;
  /** Epoch ms, for the duration shown in the card footer; null for calls loaded from history. */
  startedAt: number | null;
  finishedAt: number | null;
}

/** 'sending' until the server acknowledges, 'streaming' while the run goes on, then how the run ended. */
export type MessagePhase = 'sending' | 'streaming' | RunStatus;

export interface ChatMessageItem {
  /** The server's id, or a temporary `local-<uuid>` until the message is stored. */
  id: string;
  role: 'user' | 'assistant';
  content: string;
  fileIds: string[];
  toolCalls: ToolCallView[];
  provider: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  costMicroDollars: number;
  runId: string | null;
  phase: MessagePhase | null;
  /** Why the run failed or the message was refused, in the server's words. */
  error: { code: string; message: string } | null;
  /** ISO 8601. */
  createdAt: string;
}

/** Answers a `confirmation:required`; resolves to the server's refusal message, or null when taken. */
export type ConfirmHandler = (confirmationId: string, decision: ConfirmationAnswer) => Promise<string | null>;
