import { ErrorCode } from '@aegis/contracts';
import { useState } from 'react';
import { ActionStatus } from '../../../components/governance/action-status';
import { ClassBadge } from '../../../components/governance/class-badge';
import { ToolOutput, valueText } from '../../../components/governance/tool-output';
import type {
  ApprovalDecisionView,
  ConfirmHandler,
  PendingApprovalView,
  PendingConfirmationView,
  ToolCallPhase,
  ToolCallView,
} from '../types';
import './tool-call-card.css';

interface ToolCallCardProps {
  call: ToolCallView;
  onConfirm: ConfirmHandler;
}

/** An argument longer than this (or over three lines) is folded. */
const ARGUMENT_FOLD_CHARS = 160;
const ARGUMENT_FOLD_LINES = 3;

/** Refusal and failure codes in words; the server's own message follows them. */
const ERROR_CODE_WORDS: Partial<Record<string, string>> = {
  [ErrorCode.PolicyDenied]: 'Your role may not run this action.',
  [ErrorCode.JustificationRequired]: 'This action needs a justification, and none was given.',
  [ErrorCode.InvalidArguments]: 'The arguments are not valid for this tool.',
  [ErrorCode.ValidationFailed]: 'The arguments are not valid for this tool.',
  [ErrorCode.CommandRefused]: 'The sandbox refused this command.',
  [ErrorCode.ProgramNotAllowed]: 'This program is not on the sandbox’s allow-list.',
  [ErrorCode.PathOutsideWorkspace]: 'The path is outside the workspace.',
  [ErrorCode.SandboxUnavailable]: 'The sandbox is not available right now.',
  [ErrorCode.CapabilityUnavailable]: 'This capability is not set up on the server.',
  [ErrorCode.ApprovalExpired]: 'No admin decided before the approval request expired.',
  [ErrorCode.ConfirmationDeclined]: 'You declined to run it.',
  [ErrorCode.ArgumentsChanged]: 'The arguments changed after the approval, so it did not run.',
  [ErrorCode.VerificationFailed]: 'It ran, but its result could not be verified.',
  [ErrorCode.RequesterNotAllowed]: 'The requester may no longer run this action.',
  [ErrorCode.SelfApprovalForbidden]: 'An admin may not approve their own request.',
  [ErrorCode.RateLimited]: 'Too many actions in a short time: the rate limit was reached.',
  [ErrorCode.BudgetExceeded]: 'The spending budget is used up.',
  [ErrorCode.AuditUnavailable]: 'The audit log could not record it, so it did not run.',
  [ErrorCode.Forbidden]: 'You are not allowed to do this.',
  [ErrorCode.NotFound]: 'What it refers to does not exist.',
  [ErrorCode.ServiceUnavailable]: 'A service it needs is not available right now.',
  [ErrorCode.Internal]: 'Something went wrong on the server.',
};

/** Said when the server gave neither a known code nor a message (e.g. before its result arrives). */
const ENDED_WORDS: Partial<Record<ToolCallPhase, string>> = {
  refused: 'Governance refused this action.',
  failed: 'The action failed.',
  rejected: 'The approval request was rejected; the action did not run.',
  expired: 'No one decided in time; the action did not run.',
  cancelled: 'The run was stopped before this action finished.',
};

/** The same for a call that waited on the chatting user's confirmation rather than an admin. */
const ENDED_CONFIRMATION_WORDS: Partial<Record<ToolCallPhase, string>> = {
  rejected: 'You declined it; the action did not run.',
  expired: 'No answer came in time; the action did not run.',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "340 ms", "1.2 s", "2 min 5 s". */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.max(0, Math.round(milliseconds))} ms`;
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)} s`;
  const seconds = Math.round(milliseconds / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function ArgumentValue({ name, value }: { name: string; value: unknown }) {
  const [unfolded, setUnfolded] = useState(false);
  const text = valueText(value);
  const lines = text.split('\n');
  const long = text.length > ARGUMENT_FOLD_CHARS || lines.length > ARGUMENT_FOLD_LINES;
  const shown = long && !unfolded ? `${lines.slice(0, ARGUMENT_FOLD_LINES).join('\n').slice(0, ARGUMENT_FOLD_CHARS)}…` : text;
  return (
    <dd className="tool-card__arg-value">
      <span className="tool-card__arg-text">{shown}</span>
      {long ? (
        <button
          className="button button--link tool-card__fold"
          type="button"
          aria-expanded={unfolded}
          aria-label={`${unfolded ? 'Fold' : 'Show full'} ${name}`}
          onClick={() => setUnfolded(!unfolded)}
        >
          {unfolded ? 'Fold' : 'Show full'}
        </button>
      ) : null}
    </dd>
  );
}

function ToolArguments({ args }: { args: unknown }) {
  if (args === undefined || args === null || (isRecord(args) && Object.keys(args).length === 0)) {
    return <p className="tool-card__no-args muted">No arguments</p>;
  }
  const entries = isRecord(args) ? Object.entries(args) : [['input', args] as const];
  return (
    <dl className="tool-card__args" aria-label="Arguments">
      {entries.map(([name, value]) => (
        <div className="tool-card__arg" key={name}>
          <dt className="tool-card__arg-name">{name}</dt>
          <ArgumentValue name={name} value={value} />
        </div>
      ))}
    </dl>
  );
}

/** Why a call did not run: a known code in words, then the server's own message (or, lacking both, the phase in words). */
function EndedReason({ call }: { call: ToolCallView }) {
  const { phase, errorCode, output } = call;
  const message = typeof output === 'string' && output.trim() !== '' ? output : null;
  const phaseWords = (call.confirmation && !call.approval ? ENDED_CONFIRMATION_WORDS[phase] : undefined) ?? ENDED_WORDS[phase];
  const words = (errorCode ? ERROR_CODE_WORDS[errorCode] : undefined) ?? (message ? undefined : phaseWords);
  return (
    <div className={`tool-card__reason tool-card__reason--${phase}`}>
      {words ? <p className="tool-card__reason-words">{words}</p> : null}
      {message && message !== words ? <p className="tool-card__reason-message">{message}</p> : null}
      {errorCode ? <p className="tool-card__reason-code mono">{errorCode}</p> : null}
    </div>
  );
}

/** A call loaded from history keeps no decision, but an approved one reports it as its output. */
function decisionInOutput(call: ToolCallView): ApprovalDecisionView | null {
  const { output } = call;
  if (
    (call.phase !== 'completed' && call.phase !== 'failed') ||
    !isRecord(output) ||
    typeof output.approvedBy !== 'string' ||
    !('actionStatus' in output)
  )
    return null;
  return { status: 'approved', decidedBy: output.approvedBy, comment: typeof output.comment === 'string' ? output.comment : null };
}

function approverWords(approval: PendingApprovalView): string {
  return approval.needsAnotherAdmin ? 'another admin' : 'an admin';
}

function ApprovalWait({ approval }: { approval: PendingApprovalView }) {
  return (
    <div className="tool-card__panel tool-card__panel--waiting">
      <p>
        It runs only once {approverWords(approval)} approves it.
        {approval.needsAnotherAdmin && ' You asked for it, so you cannot approve it yourself (four eyes).'}
      </p>
      <p className="muted">Requested by {approval.requestedBy}</p>
      {approval.justification ? (
        <figure className="tool-card__quote">
          <figcaption>Justification</figcaption>
          <blockquote>{approval.justification}</blockquote>
        </figure>
      ) : null}
    </div>
  );
}

function ApprovalDecision({ decision }: { decision: ApprovalDecisionView }) {
  const by = decision.decidedBy ?? 'an admin';
  let words: string;
  switch (decision.status) {
    case 'approved':
      words = `Approved by ${by}${decision.comment ? `: ${decision.comment}` : ''}`;
      break;
    case 'rejected':
      words = `Rejected by ${by}${decision.comment ? `: ${decision.comment}` : ''}`;
      break;
    case 'expired':
      words = 'Expired: no one decided in time.';
      break;
  }
  return <p className={`tool-card__decision tool-card__decision--${decision.status}`}>{words}</p>;
}

function ConfirmationRequest({ confirmation, onConfirm }: { confirmation: PendingConfirmationView; onConfirm: ConfirmHandler }) {
  const [pending, setPending] = useState(false);
  const [answered, setAnswered] = useState<'confirmed' | 'declined' | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);

  const answer = async (decision: 'confirmed' | 'declined') => {
    setPending(true);
    setRefusal(null);
    try {
      const refused = await onConfirm(confirmation.confirmationId, decision);
      if (refused === null) setAnswered(decision);
      else setRefusal(refused);
    } catch {
      setRefusal('Your answer could not be sent. Check your connection and try again.');
    } finally {
      setPending(false);
    }
  };

  const disabled = pending || answered !== null;
  return (
    <section className="tool-card__panel tool-card__panel--confirm" aria-label="Your confirmation">
      <p>The agent wants to run this action and needs your confirmation: nothing runs unless you confirm.</p>
      {confirmation.justification ? (
        <figure className="tool-card__quote">
          <figcaption>The model’s reason (written by the model, not checked)</figcaption>
          <blockquote>{confirmation.justification}</blockquote>
        </figure>
      ) : (
        <p className="muted">The model gave no reason.</p>
      )}
      <div className="tool-card__confirm-actions">
        <button className="button button--primary button--small" type="button" disabled={disabled} onClick={() => void answer('confirmed')}>
          Confirm
        </button>
        <button className="button button--small" type="button" disabled={disabled} onClick={() => void answer('declined')}>
          Decline
        </button>
        {pending ? <span className="muted">Sending…</span> : null}
        {answered ? <span className="muted">{answered === 'confirmed' ? 'Confirmed, waiting for the action…' : 'Declined.'}</span> : null}
      </div>
      {refusal ? (
        <p className="alert alert--error" role="alert">
          {refusal}
        </p>
      ) : null}
    </section>
  );
}

const ENDED: ReadonlySet<ToolCallPhase> = new Set<ToolCallPhase>(['refused', 'failed', 'rejected', 'expired', 'cancelled']);

/**
 * One governed tool call: the tool, its class and status, its arguments, then whatever the
 * status calls for (a wait for an admin, the user's confirmation, the output or the reason it
 * did not run). Pure props: the card updates in place as the view model changes.
 */
export function ToolCallCard({ call, onConfirm }: ToolCallCardProps) {
  const confirming = call.phase === 'awaiting-confirmation' && call.confirmation !== null;
  const waiting = call.phase === 'awaiting-approval' && call.approval !== null;
  const args = confirming && call.confirmation ? call.confirmation.args : call.args;
  const duration = call.startedAt !== null && call.finishedAt !== null ? formatDuration(call.finishedAt - call.startedAt) : null;
  const decided = call.approvalDecision ?? decisionInOutput(call);
  // The server reports an approved call's outcome as {approvedBy, comment, actionStatus}: the decision line says it all.
  const outputIsDecision = decided?.status === 'approved' && isRecord(call.output) && 'approvedBy' in call.output;
  const hasOutput = call.output !== null && call.output !== undefined && call.output !== '' && !outputIsDecision;
  // An ended call's text output is its reason (shown as such); anything else is a result worth showing.
  const showOutput =
    (call.phase === 'completed' && !outputIsDecision) || (ENDED.has(call.phase) && hasOutput && typeof call.output !== 'string');
  // A rejected or expired approval is said by the decision line; the server's sentence would only repeat it.
  const showReason = ENDED.has(call.phase) && !(decided && decided.status !== 'approved' && call.errorCode === null);

  return (
    <article className="tool-card" aria-label={`Tool call: ${call.tool}`} data-phase={call.phase} data-tool-call-id={call.toolCallId}>
      <header className="tool-card__header">
        <span className="tool-card__tool mono">{call.tool}</span>
        <ClassBadge actionClass={call.actionClass} />
        <span className="tool-card__status">
          <ActionStatus
            status={call.phase}
            approver={call.approval ? approverWords(call.approval) : null}
            expiresAt={waiting ? call.approval?.expiresAt : confirming ? call.confirmation?.expiresAt : null}
          />
        </span>
      </header>
      <div className="tool-card__body">
        <ToolArguments args={args} />
        {waiting && call.approval ? <ApprovalWait approval={call.approval} /> : null}
        {confirming && call.confirmation ? (
          <ConfirmationRequest key={call.confirmation.confirmationId} confirmation={call.confirmation} onConfirm={onConfirm} />
        ) : null}
        {decided ? <ApprovalDecision decision={decided} /> : null}
        {showReason ? <EndedReason call={call} /> : null}
        {showOutput && hasOutput ? <ToolOutput output={call.output} /> : null}
        {showOutput && !hasOutput ? <p className="muted tool-card__no-output">No output</p> : null}
      </div>
      {call.actionId !== null || duration !== null ? (
        <footer className="tool-card__footer">
          {call.actionId !== null ? (
            <span>
              Action{' '}
              <span className="mono" title={call.actionId}>
                {call.actionId.slice(0, 8)}
              </span>
            </span>
          ) : null}
          {duration !== null ? <span>took {duration}</span> : null}
        </footer>
      ) : null}
    </article>
  );
}
