/** The tail sizes the log view offers; 5000 is the server's limit for one read. */
export const LOG_TAILS = [100, 500, 1000, 5000] as const;
export type LogTail = (typeof LOG_TAILS)[number];
export const DEFAULT_LOG_TAIL = 100 satisfies LogTail;

/** The server's limit on its `search` parameter; the view's search is cut to it so a download can send it. */
export const LOG_SEARCH_MAX_LENGTH = 200;

/** A container name or id as the API accepts it (docker_tools' `container` argument). */
const CONTAINER_REFERENCE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

/**
 * The Docker screen's state in the URL: `?container=web&tail=500&q=error`. The selected container
 * is named as on the allowlist (an id changes when the container is recreated); the default tail
 * and an empty search leave the URL bare.
 */
export interface DockerSearch {
  container?: string;
  tail?: Exclude<LogTail, typeof DEFAULT_LOG_TAIL>;
  q?: string;
}

function isLogTail(value: number): value is LogTail {
  return (LOG_TAILS as readonly number[]).includes(value);
}

/** The router parses `?tail=500` as a number; a hand-written `"500"` is accepted too. */
function tailOf(value: unknown): LogTail | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return isLogTail(number) ? number : undefined;
}

/** Narrows the query string: anything unknown, malformed or default is dropped, so a hand-edited URL still opens the list. */
export function validateDockerSearch(search: Record<string, unknown>): DockerSearch {
  const result: DockerSearch = {};
  const { container, tail, q } = search;
  if (typeof container === 'string' && CONTAINER_REFERENCE.test(container)) result.container = container;
  const validTail = tailOf(tail);
  if (validTail !== undefined && validTail !== DEFAULT_LOG_TAIL) result.tail = validTail;
  // The router turns `?q=42` into a number; a search for digits is still a search.
  const text = typeof q === 'string' ? q : typeof q === 'number' ? String(q) : '';
  const cut = text.slice(0, LOG_SEARCH_MAX_LENGTH);
  if (cut.trim() !== '') result.q = cut;
  return result;
}

/** The tail a validated search shows. */
export function tailOfSearch(search: DockerSearch): LogTail {
  return search.tail ?? DEFAULT_LOG_TAIL;
}

/** The search's fields with defaults removed, for `navigate({ search })`. */
export function dockerSearch(next: { container?: string; tail: LogTail; q: string }): DockerSearch {
  return validateDockerSearch({ container: next.container, tail: next.tail, q: next.q });
}
