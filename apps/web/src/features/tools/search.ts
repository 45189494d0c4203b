/**
 * STUB (replaced by the tools screen's work): the screen's state kept in the URL's query string.
 * The router validates the query with it; the page reads it with useSearch({ from: '<route>' }).
 */
export type ToolsSearch = Record<string, never>;

export function validateToolsSearch(_search: Record<string, unknown>): ToolsSearch {
  return {};
}

/** STUB: the actions history's filters in the URL. */
export type ActionsSearch = Record<string, never>;

export function validateActionsSearch(_search: Record<string, unknown>): ActionsSearch {
  return {};
}
