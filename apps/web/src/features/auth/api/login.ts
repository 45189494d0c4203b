import type { ApiComponents } from '@aegis/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';
import { meQueryOptions, type SessionUser } from './get-me';

export type LoginCredentials = ApiComponents['schemas']['LoginDto'];

/** Signs in; the server sets the httpOnly session cookies, the browser keeps them, this code never sees them. */
export async function login(credentials: LoginCredentials): Promise<SessionUser> {
  return dataOf(await apiClient.POST('/api/auth/login', { body: credentials })).user;
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
