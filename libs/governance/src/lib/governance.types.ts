import type { ActionClass, Role } from '@aegis/contracts';
import type { ToolVerification } from '@aegis/sandbox-executor';

/** Who asks governance to act: a signed-in user or an API key, and the agent run when the agent acts for them. */
export interface Caller {
  actor: { type: 'user' | 'api_key'; id: string; name: string };
  /** The user (for an API key: its owner); four-eyes compares this. */
  userId: string;
  role: Role;
  /** The agent run (a UUID) when the agent acted. */
  runId?: string;
  /** The conversation of that run: an approval request links to it (GET /api/approvals). */
  conversationId?: string;
  /** The model's tool call when the agent acted: an approval request it leads to names it (docs/agent.md). */
  toolCallId?: string;
  ip?: string;
  userAgent?: string;
  signal?: AbortSignal;
  /**
   * Asks the chatting user to confirm an agent-initiated SENSITIVE action (docs/governance.md).
   * Absent on an agent call → the action is refused (fail closed); ignored for HTTP/API callers.
   */
  confirm?: (request: ConfirmationRequest) => Promise<ConfirmationDecision>;
  /**
   * Told the class governance decided for the call as soon as it is decided (after the arguments
   * are valid, before policy, confirmation, approval or the tool run), so that a refusal or failure
   * that follows can still say it. Never called for a call that was not classified.
   */
  onClassified?: (actionClass: ActionClass) => void;
}

/** What the chatting user is asked to confirm before the agent performs a SENSITIVE action. */
export interface ConfirmationRequest {
  /** A new UUID. */
  confirmationId: string;
  tool: string;
  actionClass: ActionClass;
  /** As the audit shows them (content fields hashed). */
  args: Record<string, unknown>;
  justification?: string;
  expiresAt: Date;
}

export type ConfirmationDecision = 'confirmed' | 'declined' | 'expired' | 'cancelled';

/** Whether an action can be undone, said up front in every action result. */
export interface RollbackAvailability {
  available: boolean;
  /** The kind of rollback record kept (restore_file, git_reset, apt_remove). */
  kind?: string;
  /** Why it cannot be undone (or what undoing would do). */
  reason?: string;
}

/** What a tool run produced, as governance reports it. */
export interface ActionResult {
  /** `completed` only after a passing verification where one is required (MODERATE and above, VERIFY_REQUIRED). */
  status: 'completed' | 'failed';
  actionClass: ActionClass;
  output: unknown;
  verification: ToolVerification | null;
  rollback: RollbackAvailability;
}

export type ExecutionOutcome =
  | { kind: 'executed'; actionId: string; actionClass: ActionClass; result: ActionResult }
  | { kind: 'pending'; approvalId: string; actionClass: ActionClass; expiresAt: Date };

/** What POST /actions/:id/rollback reports. */
export interface RollbackResult {
  actionId: string;
  status: 'rolled_back';
  kind: string;
  detail: string;
}

export interface GovernanceSettings {
  verifyRequired: boolean;
  fourEyes: boolean;
  approvalTtlSeconds: number;
  /** GOVERNANCE_RAISE_CLASSES: tools whose every call is at least this class. */
  raisedClasses?: Readonly<Record<string, ActionClass>>;
  /** How long the chatting user has to confirm an agent's SENSITIVE action; default 300. */
  confirmationTtlSeconds?: number;
}
