import { useMe } from '../features/auth/api/get-me';
import { useSessionLifecycle } from '../features/auth/hooks/use-session-lifecycle';
import { errorMessage } from '../lib/api-error';
import { AppRouter } from './router';
import { LoginView } from './views/login-view';

/** Signed in: the routed workspace; otherwise the login page, at whatever address was asked for. */
export function SessionGate() {
  const me = useMe();
  const { notice, dismissNotice } = useSessionLifecycle();
  if (me.isPending) {
    return (
      <p className="app-splash" role="status">
        Loading Aegis…
      </p>
    );
  }
  if (me.isSuccess && me.data !== null) return <AppRouter user={me.data} />;
  return <LoginView notice={me.isError ? `Could not check your session: ${errorMessage(me.error)}` : notice} onSignedIn={dismissNotice} />;
}
