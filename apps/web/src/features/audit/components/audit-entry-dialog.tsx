import { useEffect, useId, useRef, type MouseEvent, type ReactNode, type SyntheticEvent } from 'react';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { formatDateTime } from '../../../lib/format';
import type { AuditEntry } from '../api/get-audit-entries';
import { useAuditEntry } from '../api/get-audit-entry';
import type { ChainVerification } from '../api/verify-audit-chain';
import { actorTypeWords, EntryClass } from './audit-table';
import { AuditDecision } from './audit-decision';
import { CopyButton } from './copy-button';

export interface AuditEntryDialogProps {
  /** The open entry's id (from the URL); undefined when the dialog is closed. */
  entryId: number | undefined;
  /** The entry when it is already on screen; otherwise it is fetched. */
  loaded: AuditEntry | undefined;
  /** The last verification, to say so when it broke at this entry. */
  verification: ChainVerification | undefined;
  onClose: () => void;
}

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="audit-entry__row">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function orDash(value: string | null) {
  return value ?? <span className="muted">—</span>;
}

/** A block of monospace text with its copy button: arguments, result, hashes. */
function CopyableBlock({ title, copyLabel, text, wrap = false }: { title: string; copyLabel: string; text: string; wrap?: boolean }) {
  const id = useId();
  return (
    <section className="audit-entry__block" aria-labelledby={id}>
      <div className="audit-entry__block-header">
        <h3 id={id}>{title}</h3>
        <CopyButton label={copyLabel} text={text} />
      </div>
      {/* Focusable so a keyboard can scroll a wide block sideways. */}
      <pre className={`audit-entry__pre${wrap ? ' audit-entry__pre--wrap' : ''}`} tabIndex={0} aria-label={title}>
        {text}
      </pre>
    </section>
  );
}

function EntryDetails({ entry, brokenReason }: { entry: AuditEntry; brokenReason: string | null }) {
  return (
    <>
      {brokenReason !== null && (
        <div className="alert alert--error">
          <p>Verify found the chain broken here: {brokenReason}</p>
        </div>
      )}
      <dl className="audit-entry__facts">
        <Row term="Time">
          <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time> <span className="mono muted">{entry.createdAt}</span>
        </Row>
        <Row term="Actor">
          {entry.actorName ?? entry.actorId ?? '—'} <span className="muted">({actorTypeWords(entry)})</span>
          {entry.actorId !== null && entry.actorId !== entry.actorName && <span className="mono audit-entry__id"> {entry.actorId}</span>}
        </Row>
        <Row term="Role">{orDash(entry.role)}</Row>
        <Row term="Action">
          <span className="mono">{entry.action}</span>
        </Row>
        <Row term="Class">
          <EntryClass entry={entry} />
        </Row>
        <Row term="Decision">
          <AuditDecision decision={entry.decision} />
        </Row>
        <Row term="Reason">{orDash(entry.reason)}</Row>
        <Row term="Agent run">{entry.runId === null ? <span className="muted">—</span> : <span className="mono">{entry.runId}</span>}</Row>
        <Row term="IP address">{entry.ip === null ? <span className="muted">—</span> : <span className="mono">{entry.ip}</span>}</Row>
        <Row term="User agent">{orDash(entry.userAgent)}</Row>
      </dl>
      <CopyableBlock title="Arguments" copyLabel="Copy arguments" text={pretty(entry.args)} />
      <CopyableBlock title="Result" copyLabel="Copy result" text={entry.result === null ? 'null' : pretty(entry.result)} />
      <CopyableBlock title="Previous hash" copyLabel="Copy previous hash" text={entry.prevHash} wrap />
      <CopyableBlock title="Hash" copyLabel="Copy hash" text={entry.hash} wrap />
    </>
  );
}

/**
 * The whole of one audit entry in a modal dialog: the browser keeps focus inside while it is
 * open and gives it back to what opened it on close. Esc, "Close" and a click beside it close it.
 */
export function AuditEntryDialog({ entryId, loaded, verification, onClose }: AuditEntryDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const open = entryId !== undefined;
  const fetched = useAuditEntry(entryId, loaded);
  const entry = loaded ?? fetched.data;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog === null) return;
    if (open && !dialog.open) {
      // jsdom has no showModal; the attribute alone shows the dialog there.
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open]);

  // Esc: the URL closes the dialog, so the browser's own close waits for it.
  const cancel = (event: SyntheticEvent<HTMLDialogElement>) => {
    event.preventDefault();
    onClose();
  };

  // A click on the backdrop lands on the dialog element itself.
  const clickBeside = (event: MouseEvent<HTMLDialogElement>) => {
    if (event.target === event.currentTarget) onClose();
  };

  const broken = verification?.firstBroken ?? null;
  const brokenReason = broken !== null && entryId !== undefined && broken.id === String(entryId) ? broken.reason : null;

  return (
    <dialog ref={dialogRef} className="audit-entry" aria-labelledby={headingId} onCancel={cancel} onClick={clickBeside}>
      {open && (
        <div className="audit-entry__content">
          <div className="audit-entry__header">
            <h2 id={headingId}>Audit entry #{entryId}</h2>
            <button type="button" className="button button--small" onClick={onClose}>
              Close
            </button>
          </div>
          {entry !== undefined ? (
            <EntryDetails entry={entry} brokenReason={brokenReason} />
          ) : fetched.isError ? (
            <ErrorAlert error={fetched.error} context="Could not load this entry" />
          ) : (
            <p className="muted" role="status">
              Loading the entry…
            </p>
          )}
        </div>
      )}
    </dialog>
  );
}
