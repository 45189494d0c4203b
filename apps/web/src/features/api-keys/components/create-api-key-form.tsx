import { useId, useState, type FormEvent } from 'react';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { formText } from '../../../lib/form-data';
import { isRoleValue, roleLabel, rolesUpTo, type ApiRole } from '../../../lib/roles';
import type { NewApiKey } from '../api/create-api-key';

export interface CreateApiKeyFormProps {
  /** The creator's role: a key can have at most this one. */
  maxRole: ApiRole;
  onCreate: (input: NewApiKey) => void;
  pending: boolean;
  error: unknown;
}

/** The first day a key can expire on: tomorrow, as the date input wants it (local yyyy-mm-dd). */
function tomorrow(): string {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A chosen expiry day means "usable through that whole day", in the user's time zone. */
function endOfDay(day: string): string {
  return new Date(`${day}T23:59:59.999`).toISOString();
}

export function CreateApiKeyForm({ maxRole, onCreate, pending, error }: CreateApiKeyFormProps) {
  const id = useId();
  const [minExpiry] = useState(tomorrow);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = formText(form, 'name').trim();
    const role = form.get('role');
    const expires = formText(form, 'expiresOn');
    if (name === '') return;
    onCreate({
      name,
      ...(isRoleValue(role) ? { role } : {}),
      ...(expires ? { expiresAt: endOfDay(expires) } : {}),
    });
  };

  return (
    <form className="api-key-form" onSubmit={submit}>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} name="name" type="text" maxLength={100} placeholder="e.g. ci smoke tests" autoComplete="off" required />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} name="role" defaultValue={maxRole}>
            {rolesUpTo(maxRole).map((role) => (
              <option key={role} value={role}>
                {roleLabel(role)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-expires`}>Expires after</label>
          <input id={`${id}-expires`} name="expiresOn" type="date" min={minExpiry} aria-describedby={`${id}-expires-hint`} />
          <p id={`${id}-expires-hint`} className="field__hint">
            Leave empty for a key that does not expire.
          </p>
        </div>
      </div>
      {error !== null && <ErrorAlert error={error} context="Could not create the key" />}
      <div className="form-actions">
        <button className="button button--primary" type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
