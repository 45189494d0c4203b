/**
 * STUB (replaced by the approvals screen's work): the screen's state kept in the URL's query string.
 * The router validates the query with it; the page reads it with useSearch({ from: '<route>' }).
 */
export type ApprovalsSearch = Record<string, never>;

export function validateApprovalsSearch(_search: Record<string, unknown>): ApprovalsSearch {
  return {};
}
