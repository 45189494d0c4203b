import type { Middleware } from 'openapi-fetch';

/** The readable cookie the API sets at sign-in and refresh; its value goes back in CSRF_HEADER (double submit). */
export const CSRF_COOKIE = 'csrf_token';
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The csrf_token cookie's value, or undefined when there is none (no session). */
export function readCsrfToken(cookies: string = document.cookie): string | undefined {
  for (const pair of cookies.split(';')) {
    const separator = pair.indexOf('=');
    if (separator === -1 || pair.slice(0, separator).trim() !== CSRF_COOKIE) continue;
    const value = pair.slice(separator + 1).trim();
    if (value === '') return undefined;
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

/** Sets X-CSRF-Token on a state-changing same-origin request; the token never leaves for another origin. */
export function withCsrfHeader(request: Request): Request {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return request;
  if (new URL(request.url).origin !== window.location.origin) return request;
  const token = readCsrfToken();
  if (token === undefined) request.headers.delete(CSRF_HEADER);
  else request.headers.set(CSRF_HEADER, token);
  return request;
}

export const csrfMiddleware: Middleware = {
  onRequest: ({ request }) => withCsrfHeader(request),
};
