import { ErrorCode } from '@aegis/contracts';
import { useId, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../../lib/api-error';
import { formatWait } from '../../../lib/format';
import type { SessionUser } from '../api/get-me';
import { useLogin } from '../api/login';
import './login-form.css';

export interface LoginFormProps {
  onSuccess?: (user: SessionUser) => void;
}

/** What to say when sign-in fails; a rate-limit refusal says how long to wait, from Retry-After. */
export function loginErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.code === ErrorCode.RateLimited) {
    return error.retryAfterSeconds === undefined
      ? error.message
      : `Too many failed sign-in attempts. Try again in ${formatWait(error.retryAfterSeconds)}.`;
  }
  return errorMessage(error);
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
      <div className="field">
        <label htmlFor={`${id}-username`}>Username</label>
        <input
          id={`${id}-username`}
          name="username"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input id={`${id}-password`} name="password" type="password" autoComplete="current-password" required />
      </div>
      {login.isError && (
        <p id={`${id}-error`} className="alert alert--error" role="alert">
          {loginErrorMessage(login.error)}
        </p>
      )}
      <button className="button button--primary login-form__submit" type="submit" disabled={login.isPending}>
        {login.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
