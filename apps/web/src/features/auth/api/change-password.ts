import type { ApiComponents } from '@aegis/contracts';
import { useMutation } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { assertOk } from '../../../lib/api-error';
import { announceSessionEnd } from '../../../lib/session-events';

export type PasswordChange = ApiComponents['schemas']['ChangePasswordDto'];

/** Changes the caller's own password; the server then ends every session of theirs, this one too. */
export async function changePassword(change: PasswordChange): Promise<void> {
  assertOk(await apiClient.POST('/api/auth/password', { body: change }));
}

export function useChangePassword() {
  return useMutation({
    mutationFn: changePassword,
    onSuccess: () => announceSessionEnd('password-changed'),
  });
}
