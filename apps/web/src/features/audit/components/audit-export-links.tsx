import { useId } from 'react';
import { auditExportHref } from '../api/export-audit';
import { hasFilters, type AuditFilters } from '../search';

/**
 * "Export NDJSON" / "Export CSV": plain download links for the entries the current filters match;
 * the browser saves the stream as the server writes it (the file is named by the server).
 */
export function AuditExportLinks({ filters }: { filters: AuditFilters }) {
  const hintId = useId();
  return (
    <div className="audit-export">
      <div className="audit-export__links">
        <a className="button" href={auditExportHref(filters, 'ndjson')} download aria-describedby={hintId} data-export-format="ndjson">
          Export NDJSON
        </a>
        <a className="button" href={auditExportHref(filters, 'csv')} download aria-describedby={hintId} data-export-format="csv">
          Export CSV
        </a>
      </div>
      <span className="field__hint" id={hintId}>
        {hasFilters(filters) ? 'Every entry matching the filters, newest first.' : 'The whole chain, newest first.'} The export is itself audited.
      </span>
    </div>
  );
}
