import { Link, useSearch } from '@tanstack/react-router';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { ApiError } from '../../../lib/api-error';
import { useApprovals } from '../api/get-approvals';
import { APPROVAL_TABS, tabOf, type ApprovalsSearch, type ApprovalTab } from '../search';
import { ApprovalCard } from './approval-card';
import { NotifyToggle } from './notify-toggle';
import './approvals.css';

const TAB_LABELS: Record<ApprovalTab, string> = { pending: 'Pending', approved: 'Approved', rejected: 'Rejected', expired: 'Expired' };

const LIST_NAMES: Record<ApprovalTab, string> = {
  pending: 'Requests waiting for a decision',
  approved: 'Approved requests',
  rejected: 'Rejected requests',
  expired: 'Expired requests',
};

const EMPTY_WORDS: Record<ApprovalTab, string> = {
  pending: 'Nothing waits for a decision. New requests appear here as they come; “Notify me” tells you while you are elsewhere.',
  approved: 'No request has been approved yet. Approved requests and what became of their actions are listed here.',
  rejected: 'No request has been rejected yet.',
  expired: 'No request has expired: every one so far was decided in time.',
};

function searchFor(tab: ApprovalTab): ApprovalsSearch {
  return tab === 'pending' ? {} : { tab };
}

function ApprovalSkeletons() {
  return (
    <div className="approval-skeletons" role="status">
      <span className="visually-hidden">Loading approval requests…</span>
      {[0, 1, 2].map((row) => (
        <div key={row} className="approval-skeleton" aria-hidden="true">
          <span className="skeleton approval-skeleton__line approval-skeleton__line--short" />
          <span className="skeleton approval-skeleton__line" />
          <span className="skeleton approval-skeleton__block" />
        </div>
      ))}
    </div>
  );
}

function ApprovalList({ tab }: { tab: ApprovalTab }) {
  const query = useApprovals(tab);
  if (query.isPending) return <ApprovalSkeletons />;
  // A failed "Load more" keeps the pages already shown; only a first page that failed replaces the list.
  if (!query.data) {
    return (
      <div className="approvals__error">
        <ErrorAlert error={query.error} context="Could not load the approval requests" />
        {query.error instanceof ApiError && query.error.requestId ? (
          <p className="muted">
            Request id <span className="mono">{query.error.requestId}</span>
          </p>
        ) : null}
        <button className="button button--small" type="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  const { data } = query;
  const items = data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <p className="approvals__empty muted">{EMPTY_WORDS[tab]}</p>;
  return (
    <>
      <ol className="approval-list" aria-label={LIST_NAMES[tab]}>
        {items.map((approval) => (
          <li key={approval.id}>
            <ApprovalCard approval={approval} />
          </li>
        ))}
      </ol>
      {query.isFetchNextPageError ? <ErrorAlert error={query.error} context="Could not load more requests" /> : null}
      {query.hasNextPage ? (
        <p className="approvals__more">
          <button className="button" type="button" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {query.isFetchingNextPage ? 'Loading more…' : 'Load more'}
          </button>
        </p>
      ) : null}
    </>
  );
}

/** The approval queue (newest first) with the decided ones by outcome in tabs kept in the URL (`?tab=`). */
export function ApprovalsPage() {
  const tab = tabOf(useSearch({ from: '/approvals' }));
  return (
    <div className="approvals">
      <div className="approvals__toolbar">
        <nav className="approvals-tabs" aria-label="Approval requests by status">
          <ul>
            {APPROVAL_TABS.map((name) => (
              <li key={name}>
                <Link
                  to="/approvals"
                  search={searchFor(name)}
                  className={`approvals-tabs__tab${name === tab ? ' approvals-tabs__tab--current' : ''}`}
                  aria-current={name === tab ? 'page' : undefined}
                >
                  {TAB_LABELS[name]}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <NotifyToggle />
      </div>
      <ApprovalList key={tab} tab={tab} />
    </div>
  );
}
