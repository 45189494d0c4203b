import { auditFilterQuery, type AuditFilters } from '../search';

export const AUDIT_EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/**
 * The download address of the entries these filters match. A plain link: the browser streams the
 * file to disk as the server writes it, nothing is held in the page's memory.
 */
export function auditExportHref(filters: AuditFilters, format: AuditExportFormat): string {
  const query = new URLSearchParams({ format, ...auditFilterQuery(filters) });
  return `/api/audit/export?${query.toString()}`;
}
