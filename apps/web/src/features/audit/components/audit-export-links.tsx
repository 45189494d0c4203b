import { useId, useRef, type MouseEvent } from 'react';
import { renewSessionAfterUnauthorized } from '../../../lib/api-client';
import { auditExportHref, type AuditExportFormat } from '../api/export-audit';
import { hasFilters, type AuditFilters } from '../search';

const FORMAT_NAMES: Record<AuditExportFormat, string> = { ndjson: 'NDJSON', csv: 'CSV' };

/**
 * One download link. A link's request carries the session cookie but cannot renew a session that
 * timed out (the file would be a 401), so the first click asks the API once through the client,
 * which renews it when needed, and then follows the link for real.
 */
function ExportLink({ filters, format, hintId }: { filters: AuditFilters; format: AuditExportFormat; hintId: string }) {
  const follow = useRef(false);
  const click = (event: MouseEvent<HTMLAnchorElement>) => {
    if (follow.current) {
      follow.current = false;
      return;
    }
    event.preventDefault();
    const link = event.currentTarget;
    void renewSessionAfterUnauthorized().then((signedIn) => {
      // Signed out for good: the app's session handling shows the sign-in page instead.
      if (!signedIn) return;
      follow.current = true;
      link.click();
    });
  };
  return (
    <a
      className="button"
      href={auditExportHref(filters, format)}
      download
      onClick={click}
      aria-describedby={hintId}
      data-export-format={format}
    >
      Export {FORMAT_NAMES[format]}
    </a>
  );
}

/**
 * "Export NDJSON" / "Export CSV": plain download links for the entries the current filters match;
 * the browser saves the stream as the server writes it (the file is named by the server).
 */
export function AuditExportLinks({ filters }: { filters: AuditFilters }) {
  const hintId = useId();
  return (
    <div className="audit-export">
      <div className="audit-export__links">
        <ExportLink filters={filters} format="ndjson" hintId={hintId} />
        <ExportLink filters={filters} format="csv" hintId={hintId} />
      </div>
      <span className="field__hint" id={hintId}>
        {hasFilters(filters) ? 'Every entry matching the filters, newest first.' : 'The whole chain, newest first.'} The export is itself
        audited.
      </span>
    </div>
  );
}
