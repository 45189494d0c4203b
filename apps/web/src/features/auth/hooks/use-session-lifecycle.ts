import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { onSessionEnd, onSessionRenewed, type SessionEndReason } from '../../../lib/session-events';
import { clearSession, meQueryOptions } from '../api/get-me';

const END_NOTICES: Record<SessionEndReason, string> = {
  'signed-out': 'You have signed out.',
  'password-changed': 'Your password was changed and every session of yours has ended. Sign in with the new password.',
  expired: 'Your session has ended. Sign in again to continue.',
};

/**
 * Keeps the session query in step with what the API client and the auth actions learn: a
 * renewed session may carry a changed role; an ended one clears everything cached for the user.
 * Returns what the login page should say about how the last session ended.
 */
export function useSessionLifecycle(): { notice: string | undefined; dismissNotice: () => void } {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    const meKey = meQueryOptions().queryKey;
    const stopEnd = onSessionEnd((reason) => {
      const wasSignedIn = Boolean(queryClient.getQueryData(meKey));
      clearSession(queryClient);
      if (wasSignedIn) setNotice(END_NOTICES[reason]);
    });
    const stopRenewed = onSessionRenewed((user) => queryClient.setQueryData(meKey, user));
    return () => {
      stopEnd();
      stopRenewed();
    };
  }, [queryClient]);

  return { notice, dismissNotice: () => setNotice(undefined) };
}
