import { ErrorCode, type ErrorBody } from '@aegis/contracts';
import { vi } from 'vitest';

export type FakeRoute = (request: Request) => Response | Promise<Response>;

/** A Response as the API would send it: JSON body, real status line. */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
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

export function errorBody(statusCode: number, code: ErrorCode, message: string): ErrorBody {
  return { statusCode, code, message, requestId: 'req-test-1' };
}
