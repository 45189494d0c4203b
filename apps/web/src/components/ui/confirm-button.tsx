import { useState } from 'react';

export interface ConfirmButtonProps {
  /** The action, e.g. "Revoke". */
  label: string;
  /** The question asked before doing it, e.g. "Revoke ci-bot?": the name of the group of buttons that answer it. */
  question: string;
  /** The button that does it, e.g. "Yes, revoke". */
  confirmLabel: string;
  onConfirm: () => void;
  pending?: boolean;
}

/**
 * A destructive action asked about in place (no window.confirm, which blocks the page): the
 * button becomes "confirm" and "cancel", compact enough to sit in a table row.
 */
export function ConfirmButton({ label, question, confirmLabel, onConfirm, pending = false }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button className="button button--small button--danger" type="button" onClick={() => setAsking(true)} disabled={pending}>
        {pending ? 'Working…' : label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question} title={question}>
      <button
        className="button button--small button--danger-solid"
        type="button"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button className="button button--small" type="button" onClick={() => setAsking(false)} autoFocus>
        Cancel
      </button>
    </span>
  );
}
