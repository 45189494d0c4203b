/** The approval requests' tabs: the queue, then the history by outcome. */
export const APPROVAL_TABS = ['pending', 'approved', 'rejected', 'expired'] as const;
export type ApprovalTab = (typeof APPROVAL_TABS)[number];

/** The approvals screen's state in the URL: `?tab=approved`; the queue (`pending`) is the default and leaves the URL bare. */
export interface ApprovalsSearch {
  tab?: Exclude<ApprovalTab, 'pending'>;
}

function isApprovalTab(value: unknown): value is ApprovalTab {
  return typeof value === 'string' && (APPROVAL_TABS as readonly string[]).includes(value);
}

/** Narrows the query string: an unknown or default tab is dropped, so a hand-edited URL still opens the queue. */
export function validateApprovalsSearch(search: Record<string, unknown>): ApprovalsSearch {
  const { tab } = search;
  return isApprovalTab(tab) && tab !== 'pending' ? { tab } : {};
}

/** The tab a validated search shows. */
export function tabOf(search: ApprovalsSearch): ApprovalTab {
  return search.tab ?? 'pending';
}
