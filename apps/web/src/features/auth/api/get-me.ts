import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError } from '../../../lib/api-error';
import { fetchJson } from '../../../lib/fetch-json';
import { parseSessionUser, type SessionUser } from './session-user';

/** The signed-in user, or null when there is no session (401; 404 while auth is not deployed). */
export async function getMe({ signal }: { signal?: AbortSignal } = {}): Promise<SessionUser | null> {
  try {
    return parseSessionUser(await fetchJson('/api/auth/me', { signal }));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 404)) return null;
    throw error;
  }
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
