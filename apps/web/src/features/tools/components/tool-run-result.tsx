import { ErrorCode } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { ActionStatus, type ActionStatusKind } from '../../../components/governance/action-status';
import { ClassBadge, type ActionClassName } from '../../../components/governance/class-badge';
import { ApiError, errorMessage } from '../../../lib/api-error';
import type { ToolRunOutcome } from '../api/execute-tool';
import { ToolOutput } from '../../../components/governance/tool-output';

/** Refusal and failure codes in words; the server's own message follows them. */
const ERROR_CODE_WORDS: Partial<Record<string, string>> = {
  [ErrorCode.PolicyDenied]: 'Your role may not run this action.',
  [ErrorCode.JustificationRequired]: 'This action needs a justification.',
  [ErrorCode.InvalidArguments]: 'The arguments are not valid for this tool.',
  [ErrorCode.ValidationFailed]: 'The request is not valid.',
  [ErrorCode.CommandRefused]: 'The sandbox refused this command.',
  [ErrorCode.ProgramNotAllowed]: 'This program is not on the sandbox’s allow-list.',
  [ErrorCode.PathOutsideWorkspace]: 'The path is outside the workspace.',
  [ErrorCode.SandboxUnavailable]: 'The sandbox is not available right now.',
  [ErrorCode.VerificationFailed]: 'It ran, but its result could not be verified.',
  [ErrorCode.RateLimited]: 'Too many actions in a short time: the rate limit was reached.',
  [ErrorCode.NotFound]: 'What it refers to does not exist.',
};

/** What happened to one run: it ran, it waits for an admin, or it was refused or failed. */
export type ToolRunState = { kind: 'outcome'; outcome: ToolRunOutcome } | { kind: 'error'; error: unknown };

export interface ToolRunResultProps {
  tool: string;
  /** The tool's class as listed, used until the server says which class it decided. */
  listedClass: ActionClassName;
  args: Record<string, unknown>;
  state: ToolRunState;
  /** The caller is an admin: someone else must approve (four eyes). */
  callerIsAdmin: boolean;
}

function statusOf(state: ToolRunState): ActionStatusKind {
  if (state.kind === 'outcome') return state.outcome.kind === 'pending' ? 'awaiting-approval' : state.outcome.action.result.status;
  const error = state.error;
  if (error instanceof ApiError && error.code === ErrorCode.VerificationFailed) return 'failed';
  return error instanceof ApiError && error.isClientError ? 'refused' : 'failed';
}

function hasOutput(output: unknown): boolean {
  return output !== null && output !== undefined && output !== '';
}

function RunArguments({ args }: { args: Record<string, unknown> }) {
  const entries = Object.entries(args);
  if (entries.length === 0) return <p className="muted run-card__no-args">No arguments</p>;
  return (
    <dl className="run-card__args" aria-label="Arguments">
      {entries.map(([name, value]) => {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        const folded = text.length > 160 ? `${text.slice(0, 160)}… (${text.length} characters)` : text;
        return (
          <div className="run-card__arg" key={name}>
            <dt className="mono">{name}</dt>
            <dd className="mono">{folded}</dd>
          </div>
        );
      })}
    </dl>
  );
}

function RunError({ error }: { error: unknown }) {
  const apiError = error instanceof ApiError ? error : null;
  const words = apiError?.code ? ERROR_CODE_WORDS[apiError.code] : undefined;
  const message = errorMessage(error);
  return (
    <div className="run-card__reason" role="alert">
      {words ? <p className="run-card__reason-words">{words}</p> : null}
      {message !== words ? <p>{message}</p> : null}
      {apiError && apiError.details.length > 0 ? (
        <ul>
          {apiError.details.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      {apiError?.code ? <p className="mono muted">{apiError.code}</p> : null}
      {apiError?.requestId ? (
        <p className="muted run-card__request-id">
          Request id: <span className="mono">{apiError.requestId}</span>
        </p>
      ) : null}
    </div>
  );
}

/** A run's result, laid out like the chat's tool cards: tool, class and status; arguments; then output, wait or reason. */
export function ToolRunResult({ tool, listedClass, args, state, callerIsAdmin }: ToolRunResultProps) {
  const status = statusOf(state);
  const outcome = state.kind === 'outcome' ? state.outcome : null;
  const actionClass = outcome
    ? outcome.kind === 'pending'
      ? outcome.approval.actionClass
      : outcome.action.result.actionClass
    : listedClass;
  const approver = callerIsAdmin ? 'another admin' : 'an admin';
  return (
    <article className="run-card" aria-label={`Tool run: ${tool}`} data-status={status}>
      <header className="run-card__header">
        <span className="mono run-card__tool">{tool}</span>
        <ClassBadge actionClass={actionClass} />
        <ActionStatus
          status={status}
          approver={status === 'awaiting-approval' ? approver : null}
          expiresAt={outcome?.kind === 'pending' ? outcome.approval.expiresAt : null}
        />
      </header>
      <div className="run-card__body">
        <RunArguments args={args} />
        {state.kind === 'error' ? <RunError error={state.error} /> : null}
        {outcome?.kind === 'pending' ? (
          <div className="run-card__panel" role="status">
            <p>
              It runs only once {approver} approves it{callerIsAdmin ? ' (you asked for it, so you cannot approve it yourself)' : ''}. Its
              outcome then appears in{' '}
              <Link to="/actions" search={{ tool }}>
                Actions
              </Link>
              .
            </p>
            <p className="muted">
              Approval request <span className="mono">{outcome.approval.approvalId}</span>
            </p>
          </div>
        ) : null}
        {outcome?.kind === 'executed' ? (
          <>
            {outcome.action.result.verification ? (
              <p
                className={`run-card__verification run-card__verification--${outcome.action.result.verification.verified ? 'good' : 'bad'}`}
              >
                {outcome.action.result.verification.verified ? 'Verified: ' : 'Not verified: '}
                {outcome.action.result.verification.detail}
              </p>
            ) : null}
            {hasOutput(outcome.action.result.output) ? (
              <ToolOutput output={outcome.action.result.output} />
            ) : (
              <p className="muted">No output</p>
            )}
            <p className="run-card__rollback muted">
              {outcome.action.result.rollback.available ? (
                <>
                  Can be undone{outcome.action.result.rollback.reason ? `: ${outcome.action.result.rollback.reason}` : ''} —{' '}
                  <Link to="/actions" search={{ tool }}>
                    roll it back in Actions
                  </Link>
                  .
                </>
              ) : (
                `Cannot be undone${outcome.action.result.rollback.reason ? `: ${outcome.action.result.rollback.reason}` : '.'}`
              )}
            </p>
          </>
        ) : null}
      </div>
      {outcome?.kind === 'executed' ? (
        <footer className="run-card__footer">
          Action{' '}
          <span className="mono" title={outcome.action.actionId} data-action-id={outcome.action.actionId}>
            {outcome.action.actionId.slice(0, 8)}
          </span>
        </footer>
      ) : null}
    </article>
  );
}
