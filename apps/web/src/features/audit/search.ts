/**
 * STUB (replaced by the audit screen's work): the screen's state kept in the URL's query string.
 * The router validates the query with it; the page reads it with useSearch({ from: '<route>' }).
 */
export type AuditSearch = Record<string, never>;

export function validateAuditSearch(_search: Record<string, unknown>): AuditSearch {
  return {};
}
