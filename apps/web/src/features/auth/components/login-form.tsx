import { useId, type FormEvent } from 'react';
import { errorMessage } from '../../../lib/api-error';
import { useLogin } from '../api/login';
import type { SessionUser } from '../api/session-user';
import './login-form.css';

export interface LoginFormProps {
  onSuccess?: (user: SessionUser) => void;
}

export function LoginForm({ onSuccess }: LoginFormProps) {
  const id = useId();
  const login = useLogin({ onSuccess });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = form.get('username');
    const password = form.get('password');
    if (typeof username !== 'string' || typeof password !== 'string') return;
    login.mutate({ username: username.trim(), password });
  };

  return (
    <form className="login-form" onSubmit={submit} aria-describedby={login.isError ? `${id}-error` : undefined}>
      <div className="login-form__field">
        <label htmlFor={`${id}-username`}>Username</label>
        <input id={`${id}-username`} name="username" type="text" autoComplete="username" autoCapitalize="none" spellCheck={false} required />
      </div>
      <div className="login-form__field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input id={`${id}-password`} name="password" type="password" autoComplete="current-password" required />
      </div>
      {login.isError && (
        <p id={`${id}-error`} className="login-form__error" role="alert">
          {errorMessage(login.error)}
        </p>
      )}
      <button className="button button--primary login-form__submit" type="submit" disabled={login.isPending}>
        {login.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
