import { useMe } from '../features/auth/api/get-me';
import { useSessionLifecycle } from '../features/auth/hooks/use-session-lifecycle';
import { errorMessage } from '../lib/api-error';
import { DashboardView } from './views/dashboard-view';
import { LoginView } from './views/login-view';

/** Decides the one view to show from the session: no router, the session is the state. */
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
  if (me.isSuccess && me.data !== null) return <DashboardView user={me.data} />;
  return <LoginView notice={me.isError ? `Could not check your session: ${errorMessage(me.error)}` : notice} onSignedIn={dismissNotice} />;
}
