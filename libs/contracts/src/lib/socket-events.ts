import type { ActionClass } from './action-class';
import type { ApprovalDecidedEvent, ApprovalRequiredEvent } from './approval';
import type { ProviderName } from './provider';

/** `message:send`: a new turn; without `conversationId` the server creates the conversation first. */
export interface MessageSendPayload {
  conversationId?: string;
  content: string;
  fileIds?: string[];
  model?: string;
}

/** What `message:send` acknowledges: the run it started, or why it did not start. */
export type MessageSendAck = { ok: true; conversationId: string; runId: string } | { ok: false; code: string; message: string };

export interface RunCancelPayload {
  runId: string;
}

/** The answers a person gives to `confirmation:required`. */
export type ConfirmationAnswer = 'confirmed' | 'declined';

/** How a confirmation ended: answered, or not run because it expired or the run was cancelled. */
export type ConfirmationOutcome = ConfirmationAnswer | 'expired' | 'cancelled';

/** `action:confirm`: the chatting user's answer to a `confirmation:required` of their own run. */
export interface ActionConfirmPayload {
  /** The `confirmationId` of the `confirmation:required` event. */
  id: string;
  decision: ConfirmationAnswer;
}

/** What `action:confirm` acknowledges: the answer was taken, or why not (unknown, someone else's, already decided). */
export type ActionConfirmAck = { ok: true; decision: ConfirmationAnswer } | { ok: false; code: string; message: string };

/** `conversation:join`: follow a conversation; a run in progress is replayed from its start. */
export interface ConversationJoinPayload {
  conversationId: string;
}

/** What `conversation:join` acknowledges: how many events of the run in progress were replayed. */
export interface ConversationJoinAck {
  ok: boolean;
  replayed: number;
}

/** How one tool call of a run ended. */
export type ToolCallStatus = 'completed' | 'failed' | 'refused' | 'rejected' | 'expired' | 'cancelled';

/** A tool call as a message keeps it: what the model asked for and what governance answered. */
export interface ToolCallRecord {
  toolCallId: string;
  tool: string;
  args: unknown;
  status: ToolCallStatus;
  /**
   * The class governance decided for this call (raised by its arguments where they matter, e.g.
   * execute_command's program); null when the call was never classified (unknown tool, invalid
   * arguments, a command the executor refuses outright) and in messages stored before the field existed.
   */
  actionClass: ActionClass | null;
  output: unknown;
  actionId: string | null;
  approvalId: string | null;
  /** The error code of a refusal or failure. */
  errorCode: string | null;
}

export type ChatMessageRole = 'user' | 'assistant';

/** How a run ended, as its assistant message records it. */
export type RunStatus = 'completed' | 'cancelled' | 'budget_exhausted' | 'failed';

export interface ChatMessageView {
  id: string;
  conversationId: string;
  role: ChatMessageRole;
  content: string;
  fileIds: string[];
  toolCalls: ToolCallRecord[];
  model: string | null;
  provider: string | null;
  inputTokens: number;
  outputTokens: number;
  costMicroDollars: number;
  runId: string | null;
  status: RunStatus | null;
  /** ISO 8601. */
  createdAt: string;
}

export interface ConversationView {
  id: string;
  title: string;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
}

export interface ConversationCreatedEvent {
  conversation: ConversationView;
}

interface RunScoped {
  conversationId: string;
  runId: string;
}

export interface ModelSelectedEvent extends RunScoped {
  provider: ProviderName;
  model: string;
}

export interface MessageDeltaEvent extends RunScoped {
  text: string;
}

export interface ToolCallEvent extends RunScoped {
  toolCallId: string;
  tool: string;
  args: unknown;
}

export interface ToolResultEvent extends RunScoped {
  call: ToolCallRecord;
}

export interface MessageCompletedEvent extends RunScoped {
  message: ChatMessageView;
}

/**
 * `confirmation:required`: the agent wants to run a SENSITIVE action and waits for the chatting
 * user's `action:confirm` until `expiresAt`; without a `confirmed` answer nothing runs.
 */
export interface ConfirmationRequiredEvent extends RunScoped {
  confirmationId: string;
  toolCallId: string;
  tool: string;
  actionClass: ActionClass;
  /** The arguments as the audit shows them (file contents as a hash and size). */
  args: Record<string, unknown>;
  /** Written by the model: a reason to read, never a reason to trust. */
  justification: string | null;
  /** ISO 8601. */
  expiresAt: string;
}

/** `confirmation:decided`: how a confirmation ended, sent to every socket of the user so each tab updates. */
export interface ConfirmationDecidedEvent extends RunScoped {
  confirmationId: string;
  decision: ConfirmationOutcome;
}

export interface RunErrorEvent {
  conversationId: string | null;
  runId: string | null;
  code: string;
  message: string;
}

/** Events the browser sends on the `/chat` namespace. */
export interface ClientToServerEvents {
  'message:send': (payload: MessageSendPayload, ack?: (ack: MessageSendAck) => void) => void;
  'run:cancel': (payload: RunCancelPayload, ack?: (result: { ok: boolean }) => void) => void;
  'conversation:join': (payload: ConversationJoinPayload, ack?: (result: ConversationJoinAck) => void) => void;
  'action:confirm': (payload: ActionConfirmPayload, ack?: (result: ActionConfirmAck) => void) => void;
}

/** Events the server sends on the `/chat` namespace. */
export interface ServerToClientEvents {
  'conversation:created': (event: ConversationCreatedEvent) => void;
  'model:selected': (event: ModelSelectedEvent) => void;
  'message:delta': (event: MessageDeltaEvent) => void;
  'message:completed': (event: MessageCompletedEvent) => void;
  'tool:call': (event: ToolCallEvent) => void;
  'tool:result': (event: ToolResultEvent) => void;
  'approval:required': (event: ApprovalRequiredEvent) => void;
  'approval:decided': (event: ApprovalDecidedEvent) => void;
  'confirmation:required': (event: ConfirmationRequiredEvent) => void;
  'confirmation:decided': (event: ConfirmationDecidedEvent) => void;
  'run:error': (event: RunErrorEvent) => void;
}

export type ServerToClientEventName = keyof ServerToClientEvents;
