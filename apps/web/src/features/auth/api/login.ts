import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fetchJson } from '../../../lib/fetch-json';
import { meQueryOptions } from './get-me';
import { parseSessionUser, type SessionUser } from './session-user';

// Until the auth endpoints are in the OpenAPI document: the body POST /api/auth/login takes.
export interface LoginCredentials {
  username: string;
  password: string;
}

/** Signs in; the server sets the httpOnly session cookies, the browser keeps them, this code never sees them. */
export async function login(credentials: LoginCredentials): Promise<SessionUser> {
  const body = await fetchJson('/api/auth/login', { method: 'POST', body: credentials });
  const user = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).user : undefined;
  return parseSessionUser(user);
}

export function useLogin({ onSuccess }: { onSuccess?: (user: SessionUser) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (user) => {
      queryClient.setQueryData(meQueryOptions().queryKey, user);
      onSuccess?.(user);
    },
  });
}
