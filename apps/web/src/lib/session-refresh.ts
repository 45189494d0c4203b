import { ErrorCode } from '@aegis/contracts';
import type { Middleware } from 'openapi-fetch';
import { readCsrfToken, withCsrfHeader } from './csrf';
import type { SessionUser } from './session-events';

/** What asking POST /api/auth/refresh came to. */
export type RefreshOutcome =
  | { status: 'renewed'; user: SessionUser }
  /** The server refused: the session is over. */
  | { status: 'ended' }
  /** The server could not be asked (network, 5xx): the session may well still be good. */
  | { status: 'failed' };

export interface SessionRefreshOptions {
  refresh: () => Promise<RefreshOutcome>;
  onRenewed: (user: SessionUser) => void;
  onEnded: () => void;
}

/** These answer 401 about the credentials they were given, not about an expired session. */
const NOT_RETRIED = new Set(['/api/auth/login', '/api/auth/refresh', '/api/auth/logout']);
const LOCK_NAME = 'aegis-session-refresh';

interface Pending {
  /** An unsent copy of the request, kept for the one retry. */
  copy: Request;
  /** The csrf cookie when the request left: if it changed since, someone has refreshed already. */
  csrfAtSend: string | undefined;
}

/**
 * On a 401 from an authenticated endpoint: refresh the session once, then send the request once
 * more. Concurrent 401s share one refresh (single flight, and across tabs through the Web Locks
 * API where the browser has it, since a refresh token is spent on use and a second spend of it
 * would be taken for theft). When the refresh is refused, onEnded tells the app to show the login
 * page and the original 401 is returned.
 */
export function createSessionRefreshMiddleware({ refresh, onRenewed, onEnded }: SessionRefreshOptions): Middleware {
  const pending = new Map<string, Pending>();
  let inFlight: Promise<boolean> | undefined;

  const renewOnce = async (csrfAtSend: string | undefined): Promise<boolean> => {
    const attempt = async (): Promise<boolean> => {
      const current = readCsrfToken();
      // No csrf cookie: no session at all (never signed in, or it ended in another tab).
      if (current === undefined) {
        onEnded();
        return false;
      }
      if (current !== csrfAtSend) return true;
      const outcome = await refresh().catch((): RefreshOutcome => ({ status: 'failed' }));
      switch (outcome.status) {
        case 'renewed':
          onRenewed(outcome.user);
          return true;
        case 'ended':
          onEnded();
          return false;
        case 'failed':
          return false;
      }
    };
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    return locks ? locks.request(LOCK_NAME, attempt) : attempt();
  };

  const renew = (csrfAtSend: string | undefined): Promise<boolean> => {
    inFlight ??= renewOnce(csrfAtSend).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  return {
    onRequest: ({ request, schemaPath, id }) => {
      if (NOT_RETRIED.has(schemaPath)) return;
      pending.set(id, { copy: request.clone(), csrfAtSend: readCsrfToken() });
    },
    onResponse: async ({ response, id, options }) => {
      const saved = pending.get(id);
      pending.delete(id);
      if (!saved || response.status !== 401 || (await refusesOwnCredentials(response))) return;
      if (!(await renew(saved.csrfAtSend))) return;
      // The refresh issued a new csrf token: the retry carries it.
      return options.fetch(withCsrfHeader(saved.copy));
    },
    onError: ({ id }) => {
      pending.delete(id);
    },
  };
}

/** A 401 that judges credentials the request itself carried (a wrong current password): refreshing changes nothing. */
async function refusesOwnCredentials(response: Response): Promise<boolean> {
  try {
    const body: unknown = await response.clone().json();
    return typeof body === 'object' && body !== null && (body as { code?: unknown }).code === ErrorCode.InvalidCredentials;
  } catch {
    return false;
  }
}
