import { Link } from '@tanstack/react-router';
import { ConfirmButton } from '../../../components/ui/confirm-button';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { formatFullTime, formatRelativeTime } from '../../../lib/relative-time';
import { isUuid } from '@aegis/contracts';
import type { MemoryItem } from '../api/get-memory';

export interface MemoryListProps {
  items: readonly MemoryItem[];
  labelledBy: string;
  onDelete: (item: MemoryItem) => void;
  /** The item being deleted now, if any. */
  deletingId?: string;
  /** The last delete that failed, shown under its item. */
  failedDelete?: { id: string; error: unknown };
}

const KIND_LABELS: Record<MemoryItem['kind'], string> = { fact: 'Fact', summary: 'Summary' };

/** A question short enough for the confirm step: the item's first words. */
function shortened(content: string): string {
  const oneLine = content.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}…` : oneLine;
}

export function MemoryList({ items, labelledBy, onDelete, deletingId, failedDelete }: MemoryListProps) {
  return (
    <ul className="memory-list" aria-labelledby={labelledBy}>
      {items.map((item) => (
        <li key={item.id} className="memory-item">
          <p className="memory-item__content">{item.content}</p>
          <div className="memory-item__meta">
            <span className={`tag${item.kind === 'summary' ? ' tag--accent' : ''}`}>{KIND_LABELS[item.kind]}</span>
            <span>
              Saved{' '}
              <time dateTime={item.createdAt} title={formatFullTime(item.createdAt)}>
                {formatRelativeTime(item.createdAt)}
              </time>
            </span>
            {item.source !== null && isUuid(item.source) && (
              <Link to="/c/$conversationId" params={{ conversationId: item.source }} className="memory-item__source">
                from a conversation
              </Link>
            )}
            <span className="memory-item__actions">
              <ConfirmButton
                label="Delete"
                question={`Delete “${shortened(item.content)}”?`}
                confirmLabel="Yes, delete"
                pending={deletingId === item.id}
                onConfirm={() => onDelete(item)}
              />
            </span>
          </div>
          {failedDelete?.id === item.id && <ErrorAlert error={failedDelete.error} context="Could not delete it" />}
        </li>
      ))}
    </ul>
  );
}

export function MemorySkeletons() {
  return (
    <div className="memory-skeletons" role="status">
      <span className="visually-hidden">Loading what the agent remembers…</span>
      {[0, 1, 2, 3].map((row) => (
        <div key={row} className="memory-skeleton" aria-hidden="true">
          <span className="skeleton memory-skeleton__line" />
          <span className="skeleton memory-skeleton__line memory-skeleton__line--short" />
        </div>
      ))}
    </div>
  );
}
