/**
 * STUB (replaced by the docker screen's work): the screen's state kept in the URL's query string.
 * The router validates the query with it; the page reads it with useSearch({ from: '<route>' }).
 */
export type DockerSearch = Record<string, never>;

export function validateDockerSearch(_search: Record<string, unknown>): DockerSearch {
  return {};
}
