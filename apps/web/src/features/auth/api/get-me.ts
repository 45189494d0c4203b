import { hashKey, queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';
import { readCsrfToken } from '../../../lib/csrf';
import type { SessionUser } from '../../../lib/session-events';

export type { SessionUser };

/**
 * The signed-in user, or null when there is no session (401, after the client's one refresh attempt).
 * Without the csrf cookie, which lives as long as the refresh token, there is no session to ask
 * about: the login page shows without a request (and without a 401 in the browser's console).
 */
export async function getMe({ signal }: { signal?: AbortSignal } = {}): Promise<SessionUser | null> {
  if (readCsrfToken() === undefined) return null;
  const result = await apiClient.GET('/api/auth/me', { signal });
  if (result.response.status === 401) return null;
  return dataOf(result);
}

export function meQueryOptions() {
  return queryOptions({
    queryKey: ['auth', 'me'],
    queryFn: ({ signal }) => getMe({ signal }),
    retry: false,
    staleTime: Infinity,
  });
}

export function useMe() {
  return useQuery(meQueryOptions());
}

/** Forgets the session: no user, and nothing cached on behalf of the one who was signed in. */
export function clearSession(queryClient: QueryClient): void {
  const meKey = meQueryOptions().queryKey;
  queryClient.setQueryData(meKey, null);
  // Removing a query also cancels its fetch.
  queryClient.removeQueries({ predicate: (query) => query.queryHash !== hashKey(meKey) });
}
