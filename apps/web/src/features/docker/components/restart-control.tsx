import { useId, useState, type FormEvent } from 'react';
import { ActionStatus } from '../../../components/governance/action-status';
import { ClassBadge } from '../../../components/governance/class-badge';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { ApiError } from '../../../lib/api-error';
import type { RestartPolicy } from '../api/get-restart-policy';
import { useRestartContainer, type RestartAnswer } from '../api/restart-container';
import type { RestartOutcome } from '../hooks/use-restart-outcomes';

export interface RestartControlProps {
  container: string;
  /** docker_restart's class and policy for the signed-in user; undefined while loading, null when the server has no such tool. */
  policy: RestartPolicy | null | undefined;
  outcome: RestartOutcome | undefined;
  onAnswer: (answer: RestartAnswer) => void;
  onDismiss: () => void;
}

/** The request id of a failed call, in small print for support. */
function RequestId({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || !error.requestId) return null;
  return <p className="docker-request-id muted">Request id: {error.requestId}</p>;
}

/**
 * A governed restart: the button opens a short form (the justification, required when the policy
 * asks for one), then the outcome: done and verified (200), or waiting for an admin (202) until
 * the decision arrives live.
 */
export function RestartControl({ container, policy, outcome, onAnswer, onDismiss }: RestartControlProps) {
  const [open, setOpen] = useState(false);
  const [justification, setJustification] = useState('');
  const restart = useRestartContainer();
  const formId = useId();
  const hintId = useId();
  const waiting = outcome?.answer.kind === 'pending' && outcome.decision === null;
  const allowed = policy?.policy.allowed ?? true;
  const justificationRequired = policy?.policy.justificationRequired ?? false;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = justification.trim();
    restart.mutate(
      { container, justification: text === '' ? undefined : text },
      {
        onSuccess: (answer) => {
          onAnswer(answer);
          setOpen(false);
          setJustification('');
        },
      },
    );
  };

  return (
    <div className="docker-restart">
      {!open && (
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            restart.reset();
            setOpen(true);
          }}
          disabled={!allowed || waiting}
          title={!allowed ? policy?.policy.summary : waiting ? 'A restart of this container waits for approval' : undefined}
        >
          Restart
        </button>
      )}
      {open && (
        <form id={formId} className="docker-restart__form card" aria-label={`Restart ${container}`} onSubmit={submit}>
          <p className="docker-restart__policy">
            {policy ? <ClassBadge actionClass={policy.actionClass} /> : null}
            <span>{policy ? policy.policy.summary : 'Restarts the container through governance.'}</span>
          </p>
          <div className="field">
            <label htmlFor={`${formId}-justification`}>Justification{justificationRequired ? '' : ' (optional)'}</label>
            <textarea
              id={`${formId}-justification`}
              className="docker-restart__justification"
              value={justification}
              onChange={(event) => setJustification(event.target.value)}
              required={justificationRequired}
              aria-describedby={hintId}
              rows={3}
              maxLength={2000}
            />
            <p id={hintId} className="field__hint">
              {justificationRequired
                ? 'Why the container needs a restart: at least 20 characters and 3 words. It is kept in the audit log and shown to the approver.'
                : 'Why the container needs a restart; it is kept in the audit log.'}
            </p>
          </div>
          {restart.isError && (
            <div>
              <ErrorAlert error={restart.error} context={`Could not restart ${container}`} />
              <RequestId error={restart.error} />
            </div>
          )}
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={restart.isPending}>
              {restart.isPending ? 'Restarting…' : policy?.policy.approvalRequired ? 'Request restart' : 'Confirm restart'}
            </button>
            <button type="button" className="button" onClick={() => setOpen(false)} disabled={restart.isPending}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <div role="status" className="docker-restart__outcome">
        {outcome ? <RestartOutcomeView container={container} outcome={outcome} onDismiss={onDismiss} /> : null}
      </div>
    </div>
  );
}

function RestartOutcomeView({ container, outcome, onDismiss }: { container: string; outcome: RestartOutcome; onDismiss: () => void }) {
  const { answer, decision } = outcome;
  const dismiss = (
    <button type="button" className="button button--link docker-restart__dismiss" onClick={onDismiss}>
      Dismiss
    </button>
  );
  if (answer.kind === 'executed') {
    const { result, actionId } = answer.action;
    const verified = result.verification?.verified ?? false;
    return (
      <div
        className={`alert ${result.status === 'completed' && verified ? 'alert--success' : 'alert--warning'}`}
        data-restart-outcome={result.status}
      >
        <p>
          <ActionStatus status={result.status === 'completed' ? 'completed' : 'failed'} /> Restart of {container}
          {result.verification ? `: ${result.verification.detail}` : ''}. {dismiss}
        </p>
        <p className="docker-restart__action mono">Action {actionId}</p>
      </div>
    );
  }
  if (decision === null) {
    return (
      <div className="alert alert--warning" data-restart-outcome="pending">
        <p>
          Restart of {container} requested (<ClassBadge actionClass={answer.approval.actionClass} />
          ). <ActionStatus status="awaiting-approval" approver="an admin" expiresAt={answer.approval.expiresAt} />
        </p>
        <p className="muted">It runs once an admin approves it on the Approvals page; this updates by itself.</p>
      </div>
    );
  }
  const who = decision.decidedBy?.name;
  if (decision.status === 'approved') {
    const ran = decision.actionStatus === 'completed';
    return (
      <div className={`alert ${ran ? 'alert--success' : 'alert--error'}`} data-restart-outcome={ran ? 'approved' : 'failed'}>
        <p>
          <ActionStatus status={ran ? 'completed' : 'failed'} /> Restart of {container} approved{who ? ` by ${who}` : ''}
          {ran ? ' and done' : ', but the restart did not complete'}
          {decision.comment ? `: “${decision.comment}”` : ''}. {dismiss}
        </p>
        {decision.actionId ? <p className="docker-restart__action mono">Action {decision.actionId}</p> : null}
      </div>
    );
  }
  if (decision.status === 'rejected') {
    return (
      <div className="alert alert--error" data-restart-outcome="rejected">
        <p>
          <ActionStatus status="rejected" reason={`by ${who ?? 'an admin'}${decision.comment ? `: ${decision.comment}` : ''}`} /> Restart of{' '}
          {container} was not run. {dismiss}
        </p>
      </div>
    );
  }
  return (
    <div className="alert alert--warning" data-restart-outcome="expired">
      <p>
        <ActionStatus status="expired" /> No admin decided on the restart of {container} in time, so it was not run. {dismiss}
      </p>
    </div>
  );
}
