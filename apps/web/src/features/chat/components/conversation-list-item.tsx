import { Link } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { formatFullTime, formatRelativeTime } from '../../../lib/relative-time';
import type { Conversation } from '../api/get-conversations';

interface ConversationListItemProps {
  conversation: Conversation;
  current: boolean;
  /** Resolves when the title was saved; rejects (error shown in the row) when it was not. */
  onRename: (title: string) => Promise<unknown>;
  /** Resolves when the conversation is gone; rejects (error shown in the row) when it is not. */
  onDelete: () => Promise<unknown>;
}

type Mode = 'view' | 'renaming' | 'confirming-delete';

/**
 * One conversation in the column: a link to it with its title and last activity, and its
 * Rename and Delete buttons (shown on hover or focus, always on touch screens and for the open one).
 * Rename edits the title in place; Delete asks first, in the row.
 */
export function ConversationListItem({ conversation, current, onRename, onDelete }: ConversationListItemProps) {
  const [mode, setMode] = useState<Mode>('view');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  // Where focus goes back to when the row returns to its links and buttons.
  const returnFocusTo = useRef<'rename' | 'delete' | null>(null);

  useEffect(() => {
    if (mode !== 'view' || returnFocusTo.current === null) return;
    (returnFocusTo.current === 'rename' ? renameButton : deleteButton).current?.focus();
    returnFocusTo.current = null;
  }, [mode]);

  const switchTo = (next: Mode, focusBack: 'rename' | 'delete' | null = null) => {
    returnFocusTo.current = focusBack;
    setError(null);
    setMode(next);
  };

  const run = async (action: () => Promise<unknown>, onDone: () => void) => {
    setPending(true);
    setError(null);
    try {
      await action();
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };

  const { title } = conversation;

  if (mode === 'renaming') {
    return (
      <li className="conversation-item conversation-item--editing">
        <RenameForm
          title={title}
          pending={pending}
          error={error}
          onCancel={() => switchTo('view', 'rename')}
          onSave={(next) => {
            if (next === title) switchTo('view', 'rename');
            else
              void run(
                () => onRename(next),
                () => switchTo('view', 'rename'),
              );
          }}
        />
      </li>
    );
  }

  if (mode === 'confirming-delete') {
    return (
      <li className="conversation-item conversation-item--confirming">
        <div className="conversation-item__confirm" role="group" aria-label={`Delete “${title}”?`}>
          <p className="conversation-item__question">
            Delete <strong>{title}</strong> and its messages?
          </p>
          <div className="conversation-item__confirm-actions">
            <button
              type="button"
              className="button button--small button--danger-solid"
              disabled={pending}
              onClick={() => void run(onDelete, () => undefined)}
            >
              {pending ? 'Deleting…' : 'Yes, delete'}
            </button>
            <button type="button" className="button button--small" disabled={pending} onClick={() => switchTo('view', 'delete')} autoFocus>
              Cancel
            </button>
          </div>
          {error !== null && <ErrorAlert error={error} context="Could not delete the conversation" />}
        </div>
      </li>
    );
  }

  return (
    <li className={`conversation-item${current ? ' conversation-item--current' : ''}`}>
      <Link
        to="/c/$conversationId"
        params={{ conversationId: conversation.id }}
        className="conversation-item__link"
        aria-current={current ? 'page' : undefined}
        activeOptions={{ exact: true }}
      >
        <span className="conversation-item__title">{title}</span>
        <time className="conversation-item__time" dateTime={conversation.updatedAt} title={formatFullTime(conversation.updatedAt)}>
          {formatRelativeTime(conversation.updatedAt)}
        </time>
      </Link>
      <span className="conversation-item__actions">
        <button
          ref={renameButton}
          type="button"
          className="conversation-item__action"
          aria-label={`Rename “${title}”`}
          title="Rename"
          onClick={() => switchTo('renaming')}
        >
          <PencilIcon />
        </button>
        <button
          ref={deleteButton}
          type="button"
          className="conversation-item__action conversation-item__action--danger"
          aria-label={`Delete “${title}”`}
          title="Delete"
          onClick={() => switchTo('confirming-delete')}
        >
          <TrashIcon />
        </button>
      </span>
    </li>
  );
}

interface RenameFormProps {
  title: string;
  pending: boolean;
  error: unknown;
  onSave: (title: string) => void;
  onCancel: () => void;
}

function RenameForm({ title, pending, error, onSave, onCancel }: RenameFormProps) {
  const [draft, setDraft] = useState(title);
  const inputId = useId();
  const errorId = useId();
  const blank = draft.trim() === '';

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!blank && !pending) onSave(draft.trim());
  };

  const cancelOnEscape = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Escape') return;
    // Esc ends the edit only, not the drawer around it or a running answer.
    event.stopPropagation();
    onCancel();
  };

  return (
    <form className="conversation-item__rename" onSubmit={submit} onKeyDown={cancelOnEscape}>
      <label className="visually-hidden" htmlFor={inputId}>
        Conversation title
      </label>
      <input
        id={inputId}
        className="conversation-item__input"
        value={draft}
        maxLength={200}
        onChange={(event) => setDraft(event.target.value)}
        onFocus={(event) => event.target.select()}
        aria-invalid={error !== null || undefined}
        aria-describedby={error !== null ? errorId : undefined}
        disabled={pending}
        autoFocus
      />
      <div className="conversation-item__confirm-actions">
        <button type="submit" className="button button--small button--primary" disabled={pending || blank}>
          {pending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button button--small" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
      {error !== null && <ErrorAlert id={errorId} error={error} context="Could not rename the conversation" />}
    </form>
  );
}

function PencilIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d="M11.1 2.2a1.5 1.5 0 0 1 2.1 0l.6.6a1.5 1.5 0 0 1 0 2.1L6 12.7l-3.2.9.9-3.2 7.4-7.6z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function TrashIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d="M2.5 4h11M6 4V2.5h4V4M3.8 4l.7 9.5h7l.7-9.5M6.5 6.5v4.5M9.5 6.5v4.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
