import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState } from 'react';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { useDebouncedValue } from '../../../hooks/use-debounced-value';
import { useDeleteConversation } from '../api/delete-conversation';
import { useConversations } from '../api/get-conversations';
import { useRenameConversation } from '../api/rename-conversation';
import { ConversationListItem } from './conversation-list-item';

/** How long typing must pause before the search is sent. */
const CONVERSATION_SEARCH_DELAY_MS = 300;

interface ConversationListProps {
  /** The conversation open beside the list (lower-case UUID), null on a new chat. */
  currentConversationId: string | null;
}

/**
 * "New chat", the title search, and the caller's conversations, most recently active first.
 * More pages load as the end of the list scrolls into view (and with "Load more").
 */
export function ConversationList({ currentConversationId }: ConversationListProps) {
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), CONVERSATION_SEARCH_DELAY_MS);
  const conversations = useConversations({ q });
  const rename = useRenameConversation();
  const remove = useDeleteConversation();
  const navigate = useNavigate();
  const searchId = useId();
  const searchInput = useRef<HTMLInputElement>(null);
  const scrollArea = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = conversations;
  const items = conversations.data?.pages.flatMap((page) => page.items) ?? [];
  const pageCount = conversations.data?.pages.length ?? 0;

  // A new observer per page: it reports the sentinel at once, so a short page that leaves it in view loads the next.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasNextPage || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void fetchNextPage({ cancelRefetch: false });
      },
      { root: scrollArea.current, rootMargin: '0px 0px 160px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, fetchNextPage, pageCount]);

  const deleteConversation = async (id: string) => {
    await remove.mutateAsync(id);
    searchInput.current?.focus();
    if (id === currentConversationId) await navigate({ to: '/' });
  };

  const searching = q !== '';

  return (
    <div className="conversation-list">
      <div className="conversation-list__header">
        <h2 className="conversation-list__heading">Conversations</h2>
        <Link to="/" className="button button--small button--primary conversation-list__new" activeOptions={{ exact: true }}>
          New chat
        </Link>
      </div>
      <div className="conversation-list__search">
        <label className="visually-hidden" htmlFor={searchId}>
          Search conversations
        </label>
        <input
          ref={searchInput}
          id={searchId}
          type="search"
          className="conversation-list__search-input"
          placeholder="Search conversations"
          value={search}
          maxLength={200}
          autoComplete="off"
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      <div ref={scrollArea} className="conversation-list__scroll" aria-busy={conversations.isFetching && !isFetchingNextPage}>
        {conversations.isPending && <ConversationSkeletons />}
        {conversations.isError && !conversations.isFetchNextPageError && (
          <div className="conversation-list__problem">
            <ErrorAlert error={conversations.error} context="Could not load your conversations" />
            <button type="button" className="button button--small" onClick={() => void conversations.refetch()}>
              Try again
            </button>
          </div>
        )}
        {conversations.isSuccess && items.length === 0 && (
          <p className="conversation-list__empty">
            {searching ? `No conversation titles contain “${q}”.` : 'No conversations yet — ask something below'}
          </p>
        )}
        {items.length > 0 && (
          <ul className="conversation-list__items" aria-label={searching ? `Conversations matching “${q}”` : 'Recent conversations'}>
            {items.map((conversation) => (
              <ConversationListItem
                key={conversation.id}
                conversation={conversation}
                current={conversation.id === currentConversationId}
                onRename={(title) => rename.mutateAsync({ id: conversation.id, title })}
                onDelete={() => deleteConversation(conversation.id)}
              />
            ))}
          </ul>
        )}
        {conversations.isFetchNextPageError && <ErrorAlert error={conversations.error} context="Could not load more conversations" />}
        {hasNextPage && (
          <div ref={sentinel} className="conversation-list__more">
            <button
              type="button"
              className="button button--small"
              onClick={() => void fetchNextPage({ cancelRefetch: false })}
              disabled={isFetchingNextPage}
            >
              {isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

function ConversationSkeletons() {
  return (
    <div className="conversation-list__skeletons" role="status">
      <span className="visually-hidden">Loading conversations…</span>
      {[0, 1, 2, 3, 4, 5].map((row) => (
        <div key={row} className="conversation-skeleton" aria-hidden="true">
          <span className="skeleton conversation-skeleton__title" />
          <span className="skeleton conversation-skeleton__time" />
        </div>
      ))}
    </div>
  );
}
