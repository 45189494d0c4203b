import { useId } from 'react';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { useUsers } from '../api/get-users';
import { useUpdateUser } from '../api/update-user';
import { CreateUserForm } from './create-user-form';
import { UserTable } from './user-table';
import './users.css';

export interface UsersPanelProps {
  currentUserId: string;
}

/** User administration; the app shows it to admins only, and the API refuses everyone else anyway. */
export function UsersPanel({ currentUserId }: UsersPanelProps) {
  const createTitle = useId();
  const listTitle = useId();
  const users = useUsers();
  const update = useUpdateUser();
  const nameOf = (id: string) => users.data?.find((user) => user.id === id)?.username ?? 'the user';

  return (
    <>
      <section className="card" aria-labelledby={createTitle}>
        <div className="card__header">
          <h2 id={createTitle} className="card__title">
            New user
          </h2>
        </div>
        <CreateUserForm />
      </section>

      <section className="card" aria-labelledby={listTitle} aria-busy={users.isFetching}>
        <div className="card__header">
          <h2 id={listTitle} className="card__title">
            All users
          </h2>
        </div>
        {users.isPending && <p className="muted">Loading users…</p>}
        {users.isError && <ErrorAlert error={users.error} context="Could not load the users" />}
        {update.isError && <ErrorAlert error={update.error} context={`Could not change ${nameOf(update.variables.id)}`} />}
        {users.isSuccess && (
          <UserTable
            users={users.data}
            currentUserId={currentUserId}
            onChange={(user, change) => update.mutate({ id: user.id, change })}
            changingId={update.isPending ? update.variables.id : undefined}
          />
        )}
      </section>
    </>
  );
}
