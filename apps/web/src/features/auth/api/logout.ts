import { useMutation } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { assertOk } from '../../../lib/api-error';
import { announceSessionEnd } from '../../../lib/session-events';

/** Ends the session's whole refresh family on the server; the answer clears the cookies. */
export async function logout(): Promise<void> {
  assertOk(await apiClient.POST('/api/auth/logout', { body: {} }));
}

export function useLogout() {
  return useMutation({
    mutationFn: logout,
    onSuccess: () => announceSessionEnd('signed-out'),
  });
}
