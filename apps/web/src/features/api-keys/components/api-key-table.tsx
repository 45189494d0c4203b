import { useState } from 'react';
import { ConfirmButton } from '../../../components/ui/confirm-button';
import { formatDate, formatDateTime } from '../../../lib/format';
import { roleLabel } from '../../../lib/roles';
import type { ApiKey } from '../api/get-api-keys';

type KeyStatus = { label: string; tone: 'good' | 'bad' | 'neutral' };

function statusOf(key: ApiKey, now: number): KeyStatus {
  if (key.revokedAt !== null) return { label: 'Revoked', tone: 'bad' };
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now) return { label: 'Expired', tone: 'neutral' };
  return { label: 'Active', tone: 'good' };
}

export interface ApiKeyTableProps {
  keys: ApiKey[];
  onRevoke: (key: ApiKey) => void;
  /** The key whose revocation is under way. */
  revokingId?: string;
}

export function ApiKeyTable({ keys, onRevoke, revokingId }: ApiKeyTableProps) {
  // Read once: "expired" need not tick over while the table is open.
  const [now] = useState(Date.now);
  if (keys.length === 0) return <p className="muted">No API keys yet.</p>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Your API keys">
      <table className="data-table">
        <caption className="visually-hidden">Your API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col" className="data-table__actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => {
            const status = statusOf(key, now);
            return (
              <tr key={key.id}>
                <th scope="row">
                  <span className="api-key-table__name">{key.name}</span>
                  <span className="api-key-table__prefix mono">{key.prefix}…</span>
                </th>
                <td>{roleLabel(key.role)}</td>
                <td>{formatDate(key.createdAt)}</td>
                <td>{formatDate(key.expiresAt, 'Never')}</td>
                <td>{formatDateTime(key.lastUsedAt, 'Never')}</td>
                <td>
                  <span className={`tag tag--${status.tone}`}>{status.label}</span>
                </td>
                <td className="data-table__actions">
                  {key.revokedAt === null && (
                    <ConfirmButton
                      label="Revoke"
                      question={`Revoke “${key.name}”?`}
                      confirmLabel="Yes, revoke"
                      onConfirm={() => onRevoke(key)}
                      pending={revokingId === key.id}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
