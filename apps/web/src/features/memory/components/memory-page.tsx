import { useId, useState } from 'react';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { useDebouncedValue } from '../../../hooks/use-debounced-value';
import { useDeleteMemory } from '../api/delete-memory';
import { useMemory } from '../api/get-memory';
import { AddMemoryForm } from './add-memory-form';
import { MemoryList, MemorySkeletons } from './memory-list';
import './memory.css';

/** How long typing must pause before the search is sent. */
export const MEMORY_SEARCH_DELAY_MS = 300;

/** What the agent remembers for the signed-in user: add, search (server-side, full text) and delete. */
export function MemoryPage() {
  const addTitle = useId();
  const listTitle = useId();
  const searchId = useId();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), MEMORY_SEARCH_DELAY_MS);
  const memory = useMemory({ q });
  const remove = useDeleteMemory();
  const items = memory.data?.pages.flatMap((page) => page.items) ?? [];
  const searching = q !== '';

  return (
    <>
      <section className="card" aria-labelledby={addTitle}>
        <div className="card__header">
          <h2 id={addTitle} className="card__title">
            Add an item
          </h2>
        </div>
        <p className="card__lead">The agent also saves what it learns in chats; anything here is recalled when it is relevant.</p>
        <AddMemoryForm />
      </section>

      <section className="card" aria-labelledby={listTitle}>
        <div className="card__header memory-list__header">
          <h2 id={listTitle} className="card__title">
            What the agent remembers
          </h2>
          <div className="memory-search">
            <label className="visually-hidden" htmlFor={searchId}>
              Search memory
            </label>
            <input
              id={searchId}
              type="search"
              className="memory-search__input"
              placeholder="Search memory"
              value={search}
              maxLength={1000}
              autoComplete="off"
              onChange={(event) => setSearch(event.target.value)}
            />
          </div>
        </div>
        <div aria-busy={memory.isFetching && !memory.isFetchingNextPage}>
          {memory.isPending && <MemorySkeletons />}
          {memory.isError && !memory.isFetchNextPageError && (
            <div className="memory-problem">
              <ErrorAlert error={memory.error} context="Could not load what the agent remembers" />
              <button type="button" className="button button--small" onClick={() => void memory.refetch()}>
                Try again
              </button>
            </div>
          )}
          {memory.isSuccess && items.length === 0 && (
            <p className="memory-empty">
              {searching
                ? `Nothing remembered matches “${q}”. The search looks for whole words.`
                : 'Nothing remembered yet. Add an item above, or tell the agent about yourself in a chat.'}
            </p>
          )}
          {items.length > 0 && (
            <MemoryList
              items={items}
              labelledBy={listTitle}
              onDelete={(item) => remove.mutate(item.id)}
              deletingId={remove.isPending ? remove.variables : undefined}
              failedDelete={remove.isError ? { id: remove.variables, error: remove.error } : undefined}
            />
          )}
          {memory.isFetchNextPageError && <ErrorAlert error={memory.error} context="Could not load more" />}
          {memory.hasNextPage && (
            <div className="memory-more">
              <button
                type="button"
                className="button button--small"
                onClick={() => void memory.fetchNextPage({ cancelRefetch: false })}
                disabled={memory.isFetchingNextPage}
              >
                {memory.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </div>
      </section>
    </>
  );
}
