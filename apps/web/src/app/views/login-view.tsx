import { AegisMark } from '../../components/layout/aegis-mark';
import { LoginForm } from '../../features/auth/components/login-form';
import { ErrorBoundary } from '../../components/errors/error-boundary';

export interface LoginViewProps {
  /** Why the login page is showing, e.g. "You have signed out." */
  notice?: string;
  onSignedIn?: () => void;
}

export function LoginView({ notice, onSignedIn }: LoginViewProps) {
  return (
    <main className="login-view">
      <div className="login-view__panel card">
        <div className="login-view__brand">
          <AegisMark size={40} />
          <span className="login-view__brand-name">Aegis</span>
        </div>
        <h1 className="login-view__title">Sign in</h1>
        <p className="login-view__lead">Use the account your Aegis administrator gave you.</p>
        {notice && (
          <p className="login-view__notice" role="status">
            {notice}
          </p>
        )}
        <ErrorBoundary label="The sign-in form">
          <LoginForm onSuccess={onSignedIn} />
        </ErrorBoundary>
      </div>
    </main>
  );
}
