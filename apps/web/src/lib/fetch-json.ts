import { apiErrorFrom, ApiError, UNREACHABLE_MESSAGE } from './api-error';

/**
 * Same-origin JSON request for endpoints not yet in the OpenAPI document; resolves the parsed
 * body (unknown: the caller narrows it) or throws ApiError.
 */
export async function fetchJson(path: string, init: { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal } = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await globalThis.fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: init.body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(UNREACHABLE_MESSAGE, 0);
  }
  const body = await readJson(response);
  if (!response.ok) throw apiErrorFrom(response, body);
  return body;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
