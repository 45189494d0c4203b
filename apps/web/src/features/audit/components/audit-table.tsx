import { ClassBadge } from '../../../components/governance/class-badge';
import { formatDateTime } from '../../../lib/format';
import type { AuditEntry } from '../api/get-audit-entries';
import { AuditDecision } from './audit-decision';

/** Who acted, as people know them: the name, else the id, else the kind of actor ("system"). */
export function actorOf(entry: AuditEntry): string {
  return entry.actorName ?? entry.actorId ?? entry.actorType;
}

const ACTOR_TYPES: Record<AuditEntry['actorType'], string> = {
  user: 'user',
  api_key: 'API key',
  anonymous: 'anonymous',
  system: 'system',
};

export function actorTypeWords(entry: AuditEntry): string {
  return ACTOR_TYPES[entry.actorType];
}

/**
 * The class of a governed act; sign-ins and other acts outside governance have none, shown as a
 * dash (a tool call without one was refused before it was classified: "unclassified").
 */
export function EntryClass({ entry }: { entry: AuditEntry }) {
  if (entry.actionClass === null && !entry.action.startsWith('tool.')) return <span className="muted">—</span>;
  return <ClassBadge actionClass={entry.actionClass} />;
}

export interface AuditTableProps {
  entries: AuditEntry[];
  onOpen: (entry: AuditEntry) => void;
}

/**
 * The chain, newest first. Each row's time is a button that opens the whole entry; below 48rem
 * the rows become stacked cards, each cell labelled by its column (data-label).
 */
export function AuditTable({ entries, onOpen }: AuditTableProps) {
  return (
    <table className="data-table audit-table">
      <caption className="visually-hidden">Audit entries, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Actor</th>
          <th scope="col">Action</th>
          <th scope="col">Class</th>
          <th scope="col">Decision</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id} data-audit-entry-id={entry.id}>
            <td data-label="Time">
              <span className="audit-table__value">
                <button type="button" className="button--link audit-table__open" data-audit-open={entry.id} onClick={() => onOpen(entry)}>
                  <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
                  <span className="visually-hidden"> — open entry #{entry.id}</span>
                </button>
              </span>
            </td>
            <td data-label="Actor">
              <span className="audit-table__value">
                {actorOf(entry)}
                {entry.actorType !== 'user' && <span className="audit-table__actor-type"> ({actorTypeWords(entry)})</span>}
              </span>
            </td>
            <td data-label="Action">
              <span className="audit-table__value mono">{entry.action}</span>
            </td>
            <td data-label="Class">
              <span className="audit-table__value">
                <EntryClass entry={entry} />
              </span>
            </td>
            <td data-label="Decision">
              <span className="audit-table__value">
                <AuditDecision decision={entry.decision} />
              </span>
            </td>
            <td data-label="Reason" className="audit-table__reason">
              <span className="audit-table__value">{entry.reason ?? '—'}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Grey rows where the first page is loading. */
export function AuditTableSkeleton() {
  return (
    <div className="audit-skeleton" aria-busy="true">
      <span className="visually-hidden" role="status">
        Loading audit entries…
      </span>
      {Array.from({ length: 6 }, (_, row) => (
        <span key={row} className="skeleton audit-skeleton__row" />
      ))}
    </div>
  );
}
