import { ErrorCode, type ErrorBody } from '@aegis/contracts';
import { vi } from 'vitest';

export type FakeRoute = (request: Request) => Response | Promise<Response>;

/** A Response as the API would send it: JSON body, real status line. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}

/** 204 No Content, as logout, revoke and password change answer. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/**
 * Replaces fetch at the network boundary with routes keyed "METHOD /path". Unrouted requests
 * answer 404 the way the API does, so a test never reaches a real network. Returns every
 * request made, for assertions on what was sent.
 */
export function fakeApi(routes: Record<string, FakeRoute>): Request[] {
  const requests: Request[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    const { pathname } = new URL(request.url);
    const route = routes[`${request.method} ${pathname}`];
    if (route) return route(request);
    return jsonResponse(404, errorBody(404, ErrorCode.NotFound, `Cannot ${request.method} ${pathname}`));
  });
  return requests;
}

/** "METHOD /path" of each request, for asserting what was called in which order. */
export function calls(requests: Request[]): string[] {
  return requests.map((request) => `${request.method} ${new URL(request.url).pathname}`);
}

export function errorBody(statusCode: number, code: ErrorCode, message: string, details?: string[]): ErrorBody {
  return { statusCode, code, message, requestId: 'req-test-1', ...(details ? { details } : {}) };
}

/**
 * Plays the browser's part for the readable csrf_token cookie: a stubbed fetch cannot apply
 * Set-Cookie, so routes that would set or clear it call these.
 */
export function setCsrfCookie(value: string): void {
  document.cookie = `csrf_token=${encodeURIComponent(value)}; path=/`;
}

export function clearCsrfCookie(): void {
  document.cookie = 'csrf_token=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT';
}
