import { ConfirmButton } from '../../../components/ui/confirm-button';
import { formatDate } from '../../../lib/format';
import { isRoleValue, roleLabel, ROLE_ORDER } from '../../../lib/roles';
import type { User } from '../api/get-users';
import type { UserChange } from '../api/update-user';

export interface UserTableProps {
  users: User[];
  /** The signed-in admin: their own row cannot be demoted or disabled from here. */
  currentUserId: string;
  onChange: (user: User, change: UserChange) => void;
  /** The user whose change is under way. */
  changingId?: string;
}

export function UserTable({ users, currentUserId, onChange, changingId }: UserTableProps) {
  if (users.length === 0) return <p className="muted">No users.</p>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Users">
      <table className="data-table">
        <caption className="visually-hidden">Users</caption>
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col" className="data-table__actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const self = user.id === currentUserId;
            const busy = changingId === user.id;
            return (
              <tr key={user.id}>
                <th scope="row">
                  {user.username} {self && <span className="tag tag--accent">you</span>}
                </th>
                <td>
                  {self ? (
                    roleLabel(user.role)
                  ) : (
                    <select
                      className="inline-select"
                      aria-label={`Role of ${user.username}`}
                      value={user.role}
                      disabled={busy}
                      onChange={(event) => {
                        const role = event.currentTarget.value;
                        if (isRoleValue(role) && role !== user.role) onChange(user, { role });
                      }}
                    >
                      {ROLE_ORDER.map((role) => (
                        <option key={role} value={role}>
                          {roleLabel(role)}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
                <td>
                  <span className={`tag ${user.disabled ? 'tag--bad' : 'tag--good'}`}>{user.disabled ? 'Disabled' : 'Active'}</span>
                </td>
                <td>{formatDate(user.createdAt)}</td>
                <td className="data-table__actions">
                  {!self &&
                    (user.disabled ? (
                      <button
                        className="button button--small"
                        type="button"
                        disabled={busy}
                        onClick={() => onChange(user, { disabled: false })}
                      >
                        Enable
                      </button>
                    ) : (
                      <ConfirmButton
                        label="Disable"
                        question={`Disable ${user.username} and end their sessions?`}
                        confirmLabel="Yes, disable"
                        pending={busy}
                        onConfirm={() => onChange(user, { disabled: true })}
                      />
                    ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
