import { useId, useMemo, useState } from 'react';
import type { ConfigEntry } from '../api/get-system';

/** A value as the server sent it: a secret stays as masked as it came, never revealed here. */
function ConfigValue({ entry }: { entry: ConfigEntry }) {
  if (!entry.set) return <span className="muted">not set</span>;
  if (entry.secret) {
    return (
      <span className="system-config__secret">
        <span className="tag" data-secret="true">
          secret
        </span>{' '}
        {entry.value === null ? <span className="muted">set, hidden</span> : <span className="mono">{entry.value}</span>}
      </span>
    );
  }
  return <span className="mono">{entry.value ?? ''}</span>;
}

function matches(entry: ConfigEntry, query: string): boolean {
  if (query === '') return true;
  const needle = query.toLowerCase();
  return entry.key.toLowerCase().includes(needle) || (entry.value ?? '').toLowerCase().includes(needle);
}

/** The effective configuration, variable by variable, with a search over names and shown values. */
export function ConfigTable({ entries }: { entries: ConfigEntry[] }) {
  const [query, setQuery] = useState('');
  const searchId = useId();
  const countId = useId();
  const shown = useMemo(() => entries.filter((entry) => matches(entry, query.trim())), [entries, query]);

  return (
    <div className="system-config">
      <div className="field system-config__search">
        <label htmlFor={searchId}>Search configuration</label>
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={countId}
        />
      </div>
      <p className="field__hint" id={countId} role="status">
        {shown.length === entries.length ? `${entries.length} variables` : `${shown.length} of ${entries.length} variables`}
      </p>
      {shown.length === 0 ? (
        <p className="muted">No variable matches “{query.trim()}”. Try part of a name, such as SANDBOX.</p>
      ) : (
        <table className="data-table system-config__table">
          <caption className="visually-hidden">Configuration variables</caption>
          <thead>
            <tr>
              <th scope="col">Variable</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((entry) => (
              <tr key={entry.key} data-config-key={entry.key}>
                <th scope="row" className="mono">
                  {entry.key}
                </th>
                <td>
                  <ConfigValue entry={entry} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
