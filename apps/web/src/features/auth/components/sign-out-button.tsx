import { errorMessage } from '../../../lib/api-error';
import { useLogout } from '../api/logout';
import './sign-out-button.css';

export function SignOutButton() {
  const logout = useLogout();
  return (
    <span className="sign-out">
      {logout.isError && (
        <span className="sign-out__error" role="alert">
          Sign-out failed: {errorMessage(logout.error)}
        </span>
      )}
      <button className="button button--small" type="button" onClick={() => logout.mutate()} disabled={logout.isPending}>
        {logout.isPending ? 'Signing out…' : 'Sign out'}
      </button>
    </span>
  );
}
