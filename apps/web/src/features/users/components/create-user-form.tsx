import { Role } from '@aegis/contracts';
import { useId, type FormEvent } from 'react';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { formText } from '../../../lib/form-data';
import { isRoleValue, roleLabel, ROLE_ORDER } from '../../../lib/roles';
import { useCreateUser } from '../api/create-user';

export function CreateUserForm() {
  const id = useId();
  const create = useCreateUser();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const username = formText(form, 'username').trim();
    const password = formText(form, 'password');
    const role = form.get('role');
    if (username === '' || !isRoleValue(role)) return;
    create.mutate({ username, password, role }, { onSuccess: () => formElement.reset() });
  };

  return (
    <form className="user-form" onSubmit={submit} aria-label="Create a user">
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-username`}>Username</label>
          <input id={`${id}-username`} name="username" type="text" autoComplete="off" autoCapitalize="none" spellCheck={false} required />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Initial password</label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="new-password"
            aria-describedby={`${id}-password-hint`}
            required
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} name="role" defaultValue={Role.Viewer}>
            {ROLE_ORDER.map((role) => (
              <option key={role} value={role}>
                {roleLabel(role)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p id={`${id}-password-hint`} className="field__hint">
        Usernames are 3 to 64 letters, digits, dots, dashes or underscores. The password needs at least 12 characters and must not contain
        the username; the person can change it under Account after signing in.
      </p>
      {create.isError && <ErrorAlert error={create.error} context="Could not create the user" />}
      {create.isSuccess && (
        <p className="alert alert--success" role="status">
          Created “{create.data.username}” as {roleLabel(create.data.role)}.
        </p>
      )}
      <div className="form-actions">
        <button className="button button--primary" type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
}
