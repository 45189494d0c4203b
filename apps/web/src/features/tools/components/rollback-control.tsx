import { useId, useState } from 'react';
import type { ActionItem } from '../api/get-actions';
import { useRollbackAction, type RollbackResult } from '../api/rollback-action';
import { RequestError } from './request-error';

/**
 * "Roll back" for one action: first says what will be restored (the server's preview) and asks
 * to confirm, then sends it and shows what the server restored; the list refreshes the row.
 */
export function RollbackControl({ action }: { action: ActionItem }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<RollbackResult | null>(null);
  const rollback = useRollbackAction();
  const reasonId = useId();

  if (done) {
    return (
      <p className="rollback__outcome alert alert--success" role="status">
        Rolled back: {done.detail}
      </p>
    );
  }

  if (!action.canRollback) {
    if (action.rolledBackAt) return null;
    // A READ action changes nothing: a dash, not the same sentence on every row.
    if (action.actionClass === 'READ')
      return (
        <span className="muted" aria-label="Nothing to undo">
          —
        </span>
      );
    return (
      <span className="muted rollback__unavailable">
        {action.rollback.available ? `An admin can undo it: ${action.rollback.description}` : action.rollback.description}
      </span>
    );
  }

  if (!asking) {
    return (
      <button className="button button--small button--danger" type="button" onClick={() => setAsking(true)}>
        Roll back
      </button>
    );
  }

  return (
    <div className="rollback__confirm" role="group" aria-label="Roll back this action?">
      <p className="rollback__preview">
        <strong>This will undo the action:</strong> {action.rollback.description}.
      </p>
      <div className="field">
        <label htmlFor={reasonId}>Reason (optional)</label>
        <input id={reasonId} type="text" maxLength={1000} value={reason} onChange={(event) => setReason(event.target.value)} />
      </div>
      <div className="rollback__buttons">
        <button
          className="button button--small button--danger-solid"
          type="button"
          disabled={rollback.isPending}
          onClick={() => rollback.mutate({ id: action.id, reason: reason.trim() || undefined }, { onSuccess: (result) => setDone(result) })}
        >
          {rollback.isPending ? 'Rolling back…' : 'Yes, roll back'}
        </button>
        <button
          className="button button--small"
          type="button"
          disabled={rollback.isPending}
          onClick={() => {
            setAsking(false);
            rollback.reset();
          }}
          autoFocus
        >
          Cancel
        </button>
      </div>
      {rollback.isError ? <RequestError error={rollback.error} context="Could not roll it back" /> : null}
    </div>
  );
}
