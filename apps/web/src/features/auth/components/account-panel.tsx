import { useId } from 'react';
import { roleLabel } from '../../../lib/roles';
import type { SessionUser } from '../api/get-me';
import { ChangePasswordForm } from './change-password-form';
import './account.css';

export function AccountPanel({ user }: { user: SessionUser }) {
  const accountTitle = useId();
  const passwordTitle = useId();
  return (
    <>
      <section className="card" aria-labelledby={accountTitle}>
        <div className="card__header">
          <h2 id={accountTitle} className="card__title">
            Your account
          </h2>
        </div>
        <dl className="account-facts">
          <dt>Username</dt>
          <dd>{user.username}</dd>
          <dt>Role</dt>
          <dd>{roleLabel(user.role)}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby={passwordTitle}>
        <div className="card__header">
          <h2 id={passwordTitle} className="card__title">
            Change password
          </h2>
        </div>
        <ChangePasswordForm />
      </section>
    </>
  );
}
