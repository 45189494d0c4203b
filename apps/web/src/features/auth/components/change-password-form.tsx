import { useId, useState, type FormEvent } from 'react';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { formText } from '../../../lib/form-data';
import { useChangePassword } from '../api/change-password';

/** Changes the own password; on success the server ends every session, so the app returns to sign-in. */
export function ChangePasswordForm() {
  const id = useId();
  const change = useChangePassword();
  const [mismatch, setMismatch] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const currentPassword = formText(form, 'currentPassword');
    const newPassword = formText(form, 'newPassword');
    const repeated = formText(form, 'repeatPassword');
    const differs = newPassword !== repeated;
    setMismatch(differs);
    if (differs) return;
    change.mutate({ currentPassword, newPassword });
  };

  return (
    <form className="password-form" onSubmit={submit} aria-label="Change your password">
      <div className="field">
        <label htmlFor={`${id}-current`}>Current password</label>
        <input id={`${id}-current`} name="currentPassword" type="password" autoComplete="current-password" required />
      </div>
      <div className="field">
        <label htmlFor={`${id}-new`}>New password</label>
        <input id={`${id}-new`} name="newPassword" type="password" autoComplete="new-password" aria-describedby={`${id}-hint`} required />
        <p id={`${id}-hint`} className="field__hint">
          At least 12 characters, and not containing your username. A passphrase of a few words works well.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-repeat`}>Repeat the new password</label>
        <input id={`${id}-repeat`} name="repeatPassword" type="password" autoComplete="new-password" required />
      </div>
      {mismatch && (
        <p className="alert alert--error" role="alert">
          The two new passwords differ.
        </p>
      )}
      {change.isError && <ErrorAlert error={change.error} context="The password was not changed" />}
      <p className="field__hint">Changing it signs you out everywhere, this browser included.</p>
      <div className="form-actions">
        <button className="button button--primary" type="submit" disabled={change.isPending}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
