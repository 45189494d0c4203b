import type { ApiPaths } from '@aegis/contracts';
import createClient from 'openapi-fetch';
import { csrfMiddleware } from './csrf';
import { announceSessionEnd, announceSessionRenewed } from './session-events';
import { createSessionRefreshMiddleware, type RefreshOutcome } from './session-refresh';

/** The typed client for every endpoint in the API's OpenAPI document; same origin, cookies sent. */
export const apiClient = createClient<ApiPaths>({
  baseUrl: '',
  credentials: 'same-origin',
  // Look fetch up per call: openapi-fetch would otherwise keep the one present at import time.
  fetch: (request) => globalThis.fetch(request),
});

/** Rotates the session: the browser sends the refresh cookie, the CSRF middleware the header. */
async function refreshSession(): Promise<RefreshOutcome> {
  const { data, response } = await apiClient.POST('/api/auth/refresh', { body: {} });
  if (data !== undefined) return { status: 'renewed', user: data.user };
  return response.status === 401 || response.status === 403 ? { status: 'ended' } : { status: 'failed' };
}

apiClient.use(
  csrfMiddleware,
  createSessionRefreshMiddleware({
    refresh: refreshSession,
    onRenewed: announceSessionRenewed,
    onEnded: () => announceSessionEnd('expired'),
  }),
);

/**
 * For requests sent outside this client (an XHR upload that reports progress, a recording sent
 * for transcription): after their 401, asks GET /api/auth/me through the client, whose middleware
 * refreshes the session once (sharing any refresh already under way). True when the session is
 * good again and the request may be sent once more.
 */
export async function renewSessionAfterUnauthorized(): Promise<boolean> {
  try {
    const { response } = await apiClient.GET('/api/auth/me');
    return response.ok;
  } catch {
    return false;
  }
}
