import { ErrorCode, Role } from '@aegis/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { calls, clearCsrfCookie, errorBody, fakeApi, jsonResponse, setCsrfCookie } from '../testing/fake-api';
import { apiClient } from './api-client';
import { onSessionEnd, onSessionRenewed, type SessionEndReason, type SessionUser } from './session-events';

const ada = { id: '6a0d3c52-8f0e-4f5e-9d1a-0a4f3b2c1d00', username: 'ada', role: Role.Admin };
const noKeys = { items: [] };
const unauthenticated = () => jsonResponse(401, errorBody(401, ErrorCode.Unauthenticated, 'Sign in or present a valid API key'));

/** A server whose access token has expired until POST /api/auth/refresh succeeds. */
function expiringServer({ refresh }: { refresh?: (request: Request) => Response | Promise<Response> } = {}) {
  let renewed = false;
  const requests = fakeApi({
    'POST /api/auth/refresh':
      refresh ??
      (() => {
        renewed = true;
        setCsrfCookie('csrf.after-refresh');
        return jsonResponse(200, { user: ada });
      }),
    'GET /api/api-keys': () => (renewed ? jsonResponse(200, noKeys) : unauthenticated()),
    'GET /api/auth/me': () => (renewed ? jsonResponse(200, ada) : unauthenticated()),
    'POST /api/api-keys': (request) =>
      renewed && request.headers.get('x-csrf-token') === 'csrf.after-refresh' ? jsonResponse(201, { name: 'ci' }) : unauthenticated(),
  });
  return requests;
}

describe('refresh-and-retry in apiClient', () => {
  let ended: SessionEndReason[];
  let renewedWith: SessionUser[];
  let stop: (() => void)[];

  beforeEach(() => {
    ended = [];
    renewedWith = [];
    stop = [onSessionEnd((reason) => ended.push(reason)), onSessionRenewed((user) => renewedWith.push(user))];
    setCsrfCookie('csrf.before-refresh');
  });
  afterEach(() => stop.forEach((unsubscribe) => unsubscribe()));

  it('refreshes once on a 401 and retries the request once, with the new CSRF token', async () => {
    const requests = expiringServer();

    const { data, response } = await apiClient.POST('/api/api-keys', { body: { name: 'ci' } });

    expect(response.status).toBe(201);
    expect(data).toEqual({ name: 'ci' });
    expect(calls(requests)).toEqual(['POST /api/api-keys', 'POST /api/auth/refresh', 'POST /api/api-keys']);
    const [first, refresh, retry] = requests;
    expect(first.headers.get('x-csrf-token')).toBe('csrf.before-refresh');
    expect(refresh.headers.get('x-csrf-token')).toBe('csrf.before-refresh');
    expect(await refresh.json()).toEqual({});
    expect(retry.headers.get('x-csrf-token')).toBe('csrf.after-refresh');
    expect(await retry.json()).toEqual({ name: 'ci' });
    expect(renewedWith).toEqual([ada]);
    expect(ended).toEqual([]);
  });

  it('shares one refresh among concurrent 401s (single flight)', async () => {
    let releaseRefresh: () => void = () => undefined;
    const refreshGate = new Promise<void>((resolve) => (releaseRefresh = resolve));
    let refreshes = 0;
    let renewed = false;
    const requests = fakeApi({
      'POST /api/auth/refresh': async () => {
        refreshes += 1;
        await refreshGate;
        renewed = true;
        setCsrfCookie('csrf.after-refresh');
        return jsonResponse(200, { user: ada });
      },
      'GET /api/api-keys': () => (renewed ? jsonResponse(200, noKeys) : unauthenticated()),
      'GET /api/auth/me': () => (renewed ? jsonResponse(200, ada) : unauthenticated()),
    });

    const all = Promise.all([apiClient.GET('/api/api-keys'), apiClient.GET('/api/auth/me'), apiClient.GET('/api/api-keys')]);
    await vi.waitFor(() => expect(refreshes).toBe(1));
    // Let every first attempt come back 401 while the refresh is still out.
    await vi.waitFor(() => expect(requests).toHaveLength(4));
    releaseRefresh();
    const results = await all;

    expect(results.map(({ response }) => response.status)).toEqual([200, 200, 200]);
    expect(results[1].data).toEqual(ada);
    expect(refreshes).toBe(1);
    expect(calls(requests).filter((call) => call === 'POST /api/auth/refresh')).toHaveLength(1);
    expect(calls(requests).filter((call) => call === 'GET /api/api-keys')).toHaveLength(4);
    expect(calls(requests).filter((call) => call === 'GET /api/auth/me')).toHaveLength(2);
  });

  it('retries only once: a second 401 is returned, not refreshed again', async () => {
    const requests = fakeApi({
      'POST /api/auth/refresh': () => {
        setCsrfCookie('csrf.after-refresh');
        return jsonResponse(200, { user: ada });
      },
      'GET /api/api-keys': unauthenticated,
    });

    const { error, response } = await apiClient.GET('/api/api-keys');

    expect(response.status).toBe(401);
    expect(error).toMatchObject({ code: ErrorCode.Unauthenticated });
    expect(calls(requests)).toEqual(['GET /api/api-keys', 'POST /api/auth/refresh', 'GET /api/api-keys']);
  });

  it('ends the session when the refresh is refused, and returns the original 401', async () => {
    const requests = expiringServer({
      refresh: () => {
        clearCsrfCookie();
        return jsonResponse(401, errorBody(401, ErrorCode.SessionExpired, 'The session has expired; sign in again'));
      },
    });

    const { response } = await apiClient.GET('/api/api-keys');

    expect(response.status).toBe(401);
    expect(calls(requests)).toEqual(['GET /api/api-keys', 'POST /api/auth/refresh']);
    expect(ended).toEqual(['expired']);
    expect(renewedWith).toEqual([]);
  });

  it('keeps the session when the refresh cannot reach the server', async () => {
    fakeApi({
      'POST /api/auth/refresh': () => jsonResponse(503, errorBody(503, ErrorCode.ServiceUnavailable, 'Database unavailable')),
      'GET /api/api-keys': unauthenticated,
    });

    const { response } = await apiClient.GET('/api/api-keys');

    expect(response.status).toBe(401);
    expect(ended).toEqual([]);
  });

  it('does not try to refresh without a csrf cookie (there is no session), and says the session is over', async () => {
    clearCsrfCookie();
    const requests = expiringServer();

    const { response } = await apiClient.GET('/api/auth/me');

    expect(response.status).toBe(401);
    expect(calls(requests)).toEqual(['GET /api/auth/me']);
    expect(ended).toEqual(['expired']);
  });

  it('never refreshes for the login, refresh and logout endpoints themselves', async () => {
    const requests = fakeApi({
      'POST /api/auth/login': () => jsonResponse(401, errorBody(401, ErrorCode.InvalidCredentials, 'Invalid username or password')),
      'POST /api/auth/logout': unauthenticated,
      'POST /api/auth/refresh': unauthenticated,
    });

    await apiClient.POST('/api/auth/login', { body: { username: 'ada', password: 'wrong' } });
    await apiClient.POST('/api/auth/logout', { body: {} });
    await apiClient.POST('/api/auth/refresh', { body: {} });

    expect(calls(requests)).toEqual(['POST /api/auth/login', 'POST /api/auth/logout', 'POST /api/auth/refresh']);
    expect(ended).toEqual([]);
  });

  it('does not refresh when the 401 is about credentials the request carried (wrong current password)', async () => {
    const requests = fakeApi({
      'POST /api/auth/password': () => jsonResponse(401, errorBody(401, ErrorCode.InvalidCredentials, 'Invalid username or password')),
    });

    const { response } = await apiClient.POST('/api/auth/password', {
      body: { currentPassword: 'wrong', newPassword: 'a long new passphrase' },
    });

    expect(response.status).toBe(401);
    expect(calls(requests)).toEqual(['POST /api/auth/password']);
  });

  it('retries without refreshing when another request already rotated the session meanwhile', async () => {
    const requests = fakeApi({
      'GET /api/api-keys': () => {
        // The cookie changes while this request is out, as when another tab or request refreshed.
        if (calls(requests).length === 1) {
          setCsrfCookie('csrf.rotated-elsewhere');
          return unauthenticated();
        }
        return jsonResponse(200, noKeys);
      },
    });

    const { response } = await apiClient.GET('/api/api-keys');

    expect(response.status).toBe(200);
    expect(calls(requests)).toEqual(['GET /api/api-keys', 'GET /api/api-keys']);
  });

  it('passes other failures through untouched', async () => {
    const requests = fakeApi({
      'POST /api/api-keys': () => jsonResponse(403, errorBody(403, ErrorCode.CsrfInvalid, 'Missing or invalid X-CSRF-Token header')),
    });

    const { response } = await apiClient.POST('/api/api-keys', { body: { name: 'ci' } });

    expect(response.status).toBe(403);
    expect(calls(requests)).toEqual(['POST /api/api-keys']);
  });
});
