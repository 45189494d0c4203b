import { useNavigate, useSearch } from '@tanstack/react-router';
import { useCallback, useMemo } from 'react';
import { useAuditEntries, type AuditEntry } from '../api/get-audit-entries';
import { useVerifyAuditChain } from '../api/verify-audit-chain';
import { filtersOf, hasFilters, validateAuditSearch, type AuditFilters } from '../search';
import { AuditEntryDialog } from './audit-entry-dialog';
import { AuditExportLinks } from './audit-export-links';
import { AuditFilterForm } from './audit-filter-form';
import { AuditTable, AuditTableSkeleton } from './audit-table';
import { ChainVerificationPanel } from './chain-verification';
import { RequestError } from './request-error';
import './audit.css';

/**
 * The audit chain for admins: filters kept in the URL, pages of 50 with "Load more" (the cursor
 * stays in memory: a link shows the newest entries for its filters), each entry's details in a
 * dialog whose id is in the URL too (`entry=812`), chain verification and export.
 */
function countOf(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? 'entry' : 'entries'}`;
}

export function AuditPage() {
  // The router keeps query keys its validator dropped (`class=bogus`) beside the valid ones: read them through it again.
  const search = validateAuditSearch(useSearch({ from: '/audit' }));
  const navigate = useNavigate({ from: '/audit' });
  const filterKey = JSON.stringify(filtersOf(search));
  const filters = useMemo<AuditFilters>(() => JSON.parse(filterKey) as AuditFilters, [filterKey]);
  const entries = useAuditEntries(filters);
  const verify = useVerifyAuditChain();

  const loaded = useMemo(() => entries.data?.pages.flatMap((page) => page.items) ?? [], [entries.data]);
  const openEntry = search.entry === undefined ? undefined : loaded.find((entry) => entry.id === String(search.entry));

  const applyFilters = useCallback((next: AuditFilters) => void navigate({ search: next }), [navigate]);
  const open = useCallback((entry: AuditEntry) => void navigate({ search: { ...filters, entry: Number(entry.id) } }), [navigate, filters]);
  // Closing replaces the history entry: back then leaves the page's previous search, not reopens the dialog.
  const close = useCallback(() => void navigate({ search: filters, replace: true }), [navigate, filters]);

  return (
    <div className="audit">
      <section className="card audit__chain" aria-labelledby="audit-chain-heading">
        <h2 id="audit-chain-heading" className="card__title">
          Chain
        </h2>
        <ChainVerificationPanel
          verifying={verify.isPending}
          result={verify.data}
          error={verify.error}
          onVerify={() => verify.mutate()}
          search={search}
        />
        <AuditExportLinks filters={filters} />
      </section>

      <AuditFilterForm filters={filters} onApply={applyFilters} />

      <section className="audit__entries" aria-labelledby="audit-entries-heading" aria-busy={entries.isPending}>
        <h2 id="audit-entries-heading" className="visually-hidden">
          Entries
        </h2>
        {entries.isPending ? (
          <AuditTableSkeleton />
        ) : entries.isError && loaded.length === 0 ? (
          <RequestError error={entries.error} context="Could not load the audit log" />
        ) : loaded.length === 0 ? (
          <div className="audit__empty">
            {hasFilters(filters) ? (
              <>
                <p>No audit entries match these filters.</p>
                <p className="muted">Widen the date range or clear a filter.</p>
                <button type="button" className="button" onClick={() => applyFilters({})}>
                  Clear filters
                </button>
              </>
            ) : (
              <>
                <p>No audit entries yet.</p>
                <p className="muted">Sign-ins, tool runs and approvals are written here as they happen.</p>
              </>
            )}
          </div>
        ) : (
          <>
            <AuditTable entries={loaded} onOpen={open} />
            <div className="audit__more">
              <p className="muted" role="status">
                {entries.hasNextPage
                  ? `Showing the newest ${countOf(loaded.length)}`
                  : loaded.length === 1
                    ? 'Showing the only entry'
                    : `Showing all ${countOf(loaded.length)}`}
              </p>
              {entries.isFetchNextPageError && <RequestError error={entries.error} context="Could not load more entries" />}
              {entries.hasNextPage && (
                <button
                  type="button"
                  className="button"
                  onClick={() => void entries.fetchNextPage()}
                  disabled={entries.isFetchingNextPage}
                  aria-busy={entries.isFetchingNextPage}
                >
                  Load more
                </button>
              )}
            </div>
          </>
        )}
      </section>

      <AuditEntryDialog entryId={search.entry} loaded={openEntry} verification={verify.data} onClose={close} />
    </div>
  );
}
