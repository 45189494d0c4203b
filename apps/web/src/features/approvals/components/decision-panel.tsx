import { useEffect, useId, useRef, useState, type FormEvent } from 'react';

export type DecisionMode = 'approve' | 'reject';

export interface DecisionPanelProps {
  tool: string;
  pending: boolean;
  onApprove: (comment: string) => void;
  onReject: (reason: string) => void;
}

/**
 * Approve (with an optional comment) or reject (with a required reason) in place: each button
 * opens its small form, focus moves into it and comes back to the button on Cancel or Esc.
 */
export function DecisionPanel({ tool, pending, onApprove, onReject }: DecisionPanelProps) {
  const [mode, setMode] = useState<DecisionMode | null>(null);
  const [text, setText] = useState('');
  const [missingReason, setMissingReason] = useState(false);
  const fieldRef = useRef<HTMLTextAreaElement>(null);
  const approveRef = useRef<HTMLButtonElement>(null);
  const rejectRef = useRef<HTMLButtonElement>(null);
  const returnFocusTo = useRef<DecisionMode | null>(null);
  const fieldId = useId();
  const errorId = useId();

  useEffect(() => {
    if (mode) fieldRef.current?.focus();
    else if (returnFocusTo.current) {
      (returnFocusTo.current === 'approve' ? approveRef : rejectRef).current?.focus();
      returnFocusTo.current = null;
    }
  }, [mode]);

  const open = (next: DecisionMode) => {
    setMode(next);
    setText('');
    setMissingReason(false);
  };

  const close = () => {
    returnFocusTo.current = mode;
    setMode(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === 'approve') onApprove(text);
    else if (text.trim() === '') {
      setMissingReason(true);
      fieldRef.current?.focus();
    } else onReject(text);
  };

  if (mode === null) {
    return (
      <div className="approval-decision__buttons">
        <button ref={approveRef} className="button button--primary" type="button" onClick={() => open('approve')} disabled={pending}>
          Approve
        </button>
        <button ref={rejectRef} className="button button--danger" type="button" onClick={() => open('reject')} disabled={pending}>
          Reject
        </button>
      </div>
    );
  }

  const approving = mode === 'approve';
  return (
    <form
      className="approval-decision__form"
      aria-label={approving ? `Approve ${tool}` : `Reject ${tool}`}
      noValidate
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !pending) {
          event.stopPropagation();
          close();
        }
      }}
    >
      <div className="field">
        <label htmlFor={fieldId}>{approving ? 'Comment (optional)' : 'Reason'}</label>
        <textarea
          ref={fieldRef}
          id={fieldId}
          className="approval-decision__text"
          rows={2}
          maxLength={1000}
          value={text}
          required={!approving}
          aria-invalid={!approving && missingReason ? true : undefined}
          aria-describedby={!approving && missingReason ? errorId : undefined}
          onChange={(event) => {
            setText(event.target.value);
            if (event.target.value.trim() !== '') setMissingReason(false);
          }}
        />
        {approving ? (
          <p className="field__hint">Approving runs the action once, with exactly these arguments.</p>
        ) : missingReason ? (
          <p id={errorId} className="approval-decision__error">
            Say why it may not run: the requester sees the reason.
          </p>
        ) : (
          <p className="field__hint">The requester sees the reason.</p>
        )}
      </div>
      <div className="form-actions">
        <button className={`button ${approving ? 'button--primary' : 'button--danger-solid'}`} type="submit" disabled={pending}>
          {pending ? (approving ? 'Approving…' : 'Rejecting…') : approving ? 'Approve and run' : 'Reject request'}
        </button>
        <button className="button" type="button" onClick={close} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
