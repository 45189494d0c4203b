import type { ApprovalDecidedEvent, ApprovalRequiredEvent, ProviderName, RunStatus, ToolCallRecord } from '@aegis/contracts';
import type { Caller, ConfirmationDecision, ConfirmationRequest } from '@aegis/governance';
import type { ChatMessage } from '@aegis/providers';
import type { RunLimits } from './run-budget';

/** What a run reports while it goes; the socket gateway forwards each one. */
export type AgentEvent =
  | { type: 'model-selected'; provider: ProviderName; model: string }
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; toolCallId: string; tool: string; args: unknown }
  | { type: 'tool-result'; call: ToolCallRecord }
  | { type: 'approval-required'; event: ApprovalRequiredEvent }
  | { type: 'approval-decided'; event: ApprovalDecidedEvent }
  | { type: 'confirmation-required'; toolCallId: string; request: ConfirmationRequest }
  | { type: 'confirmation-decided'; toolCallId: string; confirmationId: string; decision: ConfirmationDecision }
  | { type: 'warning'; code: string; message: string };

/** A SENSITIVE call of the agent, waiting for the chatting user (docs/agent.md "Confirmations"). */
export interface PendingConfirmation {
  toolCallId: string;
  request: ConfirmationRequest;
}

/** The person's own answer to a confirmation; expiry and cancellation are the runner's. */
export type ConfirmationAnswer = Extract<ConfirmationDecision, 'confirmed' | 'declined'>;

export interface AgentRunRequest {
  caller: Caller;
  /** A UUID; every governed action of the run is audited with it. */
  runId: string;
  conversationId: string;
  /** The conversation so far, already trimmed, ending with the user's turn. */
  messages: ChatMessage[];
  signal: AbortSignal;
  model?: string;
  onEvent: (event: AgentEvent) => void;
  /**
   * Asks the chatting user to confirm a SENSITIVE call and resolves with their answer. `signal`
   * aborts when the runner stops waiting (the request expired or the run was cancelled). Without
   * it, governance refuses every SENSITIVE call of the run.
   */
  confirm?: (pending: PendingConfirmation, signal: AbortSignal) => Promise<ConfirmationAnswer>;
  /**
   * The caller as it stands now, asked before each model turn and each tool call: a run outlives
   * the moment it started. Undefined (signed out, disabled, key revoked) stops the run; a lower
   * role is used from then on. Without it, `caller` is used throughout.
   */
  callerNow?: () => Promise<Caller | undefined>;
}

export interface AgentRunResult {
  status: RunStatus;
  text: string;
  provider: ProviderName | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  costMicroDollars: number;
  steps: number;
  toolCalls: ToolCallRecord[];
  /** Why a run did not complete: the budget reached, or the provider error. */
  error: { code: string; message: string } | null;
}

export interface AgentRunnerOptions {
  limits: RunLimits;
  /** Longest wait for an admin's decision; the approval's own expiry applies when sooner. */
  approvalTimeoutMs: number;
  systemPrompt: string;
}

/** Thrown inside a run when it was cancelled or reached its deadline; `run` turns it into the run's status. */
export class RunCancelled extends Error {}
