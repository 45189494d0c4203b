import { Link } from '@tanstack/react-router';
import { useId } from 'react';
import { formatDateTime } from '../../../lib/format';
import type { ChainVerification } from '../api/verify-audit-chain';
import type { AuditSearch } from '../search';
import { RequestError } from './request-error';

export interface ChainVerificationPanelProps {
  verifying: boolean;
  result: ChainVerification | undefined;
  error: unknown;
  onVerify: () => void;
  /** The URL's search, so the link to the broken entry keeps the filters. */
  search: AuditSearch;
}

function entries(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? 'entry' : 'entries'}`;
}

function Outcome({ result, search }: { result: ChainVerification; search: AuditSearch }) {
  if (result.valid) {
    return (
      <p className="alert alert--success audit-verify__outcome" data-chain="valid">
        Chain valid — {entries(result.checked)} checked
      </p>
    );
  }
  const broken = result.firstBroken;
  if (broken === null) {
    // An answer without the entry's details: its sentence says it all.
    return (
      <p className="alert alert--error audit-verify__outcome" data-chain="broken">
        {result.message}
      </p>
    );
  }
  const id = Number(broken.id);
  return (
    <div className="alert alert--error audit-verify__outcome" data-chain="broken" data-broken-entry-id={broken.id}>
      <p>
        Broken at entry #{broken.id} (<time dateTime={broken.createdAt}>{formatDateTime(broken.createdAt)}</time>): {broken.reason}
      </p>
      <p>
        {entries(result.checked)} before it {result.checked === 1 ? 'is' : 'are'} intact.{' '}
        {Number.isSafeInteger(id) && (
          <Link to="/audit" search={{ ...search, entry: id }} className="audit-verify__open">
            Open entry #{broken.id}
          </Link>
        )}
      </p>
    </div>
  );
}

/** "Verify chain": the server walks every entry's hash and link and names the first that no longer holds. */
export function ChainVerificationPanel({ verifying, result, error, onVerify, search }: ChainVerificationPanelProps) {
  const hintId = useId();
  return (
    <div className="audit-verify">
      <div className="audit-verify__controls">
        <button type="button" className="button" onClick={onVerify} disabled={verifying} aria-describedby={hintId}>
          Verify chain
        </button>
        <span className="field__hint" id={hintId}>
          Checks every entry, not only those shown.
        </span>
      </div>
      <div className="audit-verify__result" role="status" aria-live="polite">
        {verifying ? (
          <p className="muted">Verifying the chain…</p>
        ) : error !== null && error !== undefined ? (
          <RequestError error={error} context="Could not verify the chain" />
        ) : result !== undefined ? (
          <Outcome result={result} search={search} />
        ) : null}
      </div>
    </div>
  );
}
