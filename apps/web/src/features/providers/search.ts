/**
 * STUB (replaced by the providers screen's work): the screen's state kept in the URL's query string.
 * The router validates the query with it; the page reads it with useSearch({ from: '<route>' }).
 */
export type ProvidersSearch = Record<string, never>;

export function validateProvidersSearch(_search: Record<string, unknown>): ProvidersSearch {
  return {};
}
