import { useId } from 'react';
import { ErrorAlert } from '../../../components/ui/error-alert';
import type { ApiRole } from '../../../lib/roles';
import { useCreateApiKey } from '../api/create-api-key';
import { useApiKeys } from '../api/get-api-keys';
import { useRevokeApiKey } from '../api/revoke-api-key';
import { ApiKeyTable } from './api-key-table';
import { CreateApiKeyForm } from './create-api-key-form';
import { CreatedApiKeyNotice } from './created-api-key';
import './api-keys.css';

export interface ApiKeysPanelProps {
  /** The signed-in user's role: the most a new key may have. */
  role: ApiRole;
}

export function ApiKeysPanel({ role }: ApiKeysPanelProps) {
  const createTitle = useId();
  const listTitle = useId();
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();

  return (
    <>
      <section className="card" aria-labelledby={createTitle}>
        <div className="card__header">
          <h2 id={createTitle} className="card__title">
            Create an API key
          </h2>
        </div>
        <p className="card__lead">Programs sign in with a key instead of a password. A key can have your role or a lower one.</p>
        {/* The key lives only in this mutation's result: "I have stored the key" resets it away. */}
        {create.isSuccess ? (
          <CreatedApiKeyNotice apiKey={create.data} onDone={() => create.reset()} />
        ) : (
          <CreateApiKeyForm maxRole={role} pending={create.isPending} error={create.error} onCreate={(input) => create.mutate(input)} />
        )}
      </section>

      <section className="card" aria-labelledby={listTitle} aria-busy={keys.isFetching}>
        <div className="card__header">
          <h2 id={listTitle} className="card__title">
            Your API keys
          </h2>
        </div>
        {keys.isPending && <p className="muted">Loading keys…</p>}
        {keys.isError && <ErrorAlert error={keys.error} context="Could not load your API keys" />}
        {revoke.isError && <ErrorAlert error={revoke.error} context="Could not revoke the key" />}
        {keys.isSuccess && (
          <ApiKeyTable
            keys={keys.data}
            onRevoke={(key) => revoke.mutate(key.id)}
            revokingId={revoke.isPending ? revoke.variables : undefined}
          />
        )}
      </section>
    </>
  );
}
