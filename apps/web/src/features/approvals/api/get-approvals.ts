import type { ApiComponents } from '@aegis/contracts';
import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';
import type { ApprovalTab } from '../search';

export type Approval = ApiComponents['schemas']['ApprovalDto'];
export type ApprovalList = ApiComponents['schemas']['ApprovalListDto'];
export type ApprovalStatus = ApiComponents['schemas']['ApprovalStatus'];

/** Every approvals query starts with this key: one invalidation refreshes the lists and the badge. */
export const APPROVALS_KEY = ['approvals'] as const;
const LISTS_KEY = [...APPROVALS_KEY, 'list'] as const;

/** Requests a page shows at once (the API allows up to 200). */
export const APPROVALS_PAGE_SIZE = 20;
/** The most the badge counts exactly; beyond it says "200+". */
export const PENDING_COUNT_LIMIT = 200;

/** The statuses behind each tab (docs/governance.md "Approvals"): "approved" covers what became of the approved action. */
export const TAB_STATUSES: Record<ApprovalTab, readonly ApprovalStatus[]> = {
  pending: ['pending'],
  approved: ['approved', 'executing', 'executed', 'failed'],
  rejected: ['rejected'],
  expired: ['expired'],
};

export async function getApprovals({
  statuses,
  cursor,
  limit,
  signal,
}: {
  statuses: readonly ApprovalStatus[];
  cursor?: string;
  limit: number;
  signal?: AbortSignal;
}): Promise<ApprovalList> {
  const query = { limit, ...(statuses.length > 0 ? { status: [...statuses] } : {}), ...(cursor ? { cursor } : {}) };
  return dataOf(await apiClient.GET('/api/approvals', { params: { query }, signal }));
}

/** One tab's requests, newest first, a page at a time. */
export function approvalsQueryOptions(tab: ApprovalTab) {
  return infiniteQueryOptions({
    queryKey: [...LISTS_KEY, tab],
    queryFn: ({ pageParam, signal }) =>
      getApprovals({ statuses: TAB_STATUSES[tab], cursor: pageParam, limit: APPROVALS_PAGE_SIZE, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}

export function useApprovals(tab: ApprovalTab) {
  return useInfiniteQuery(approvalsQueryOptions(tab));
}

export interface PendingCount {
  count: number;
  /** More are pending than one page counts. */
  more: boolean;
}

/** How many requests wait for a decision; the API has no count, so one page of up to PENDING_COUNT_LIMIT is counted. */
export function pendingCountQueryOptions() {
  return queryOptions({
    queryKey: [...APPROVALS_KEY, 'pending-count'],
    queryFn: async ({ signal }): Promise<PendingCount> => {
      const page = await getApprovals({ statuses: TAB_STATUSES.pending, limit: PENDING_COUNT_LIMIT, signal });
      return { count: page.items.length, more: page.nextCursor !== null };
    },
  });
}

/** A safety net under the socket's events: the count is asked again this often. */
export const PENDING_COUNT_REFRESH_MS = 60_000;

export function usePendingCount() {
  return useQuery({ ...pendingCountQueryOptions(), refetchInterval: PENDING_COUNT_REFRESH_MS });
}

/**
 * One request as the server has it now. The API has no GET by id: the newest page of every
 * status is searched, which holds any request decided lately; null when it is not there.
 */
export async function findApproval(id: string): Promise<Approval | null> {
  const page = await getApprovals({ statuses: [], limit: PENDING_COUNT_LIMIT });
  return page.items.find((item) => item.id === id) ?? null;
}

/**
 * After a decision: every list becomes stale without being fetched again now (a decided card
 * stays where it is, saying how it ended, until the list is next loaded); the badge counts again.
 */
export async function afterDecision(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: LISTS_KEY, refetchType: 'none' }),
    queryClient.invalidateQueries({ queryKey: pendingCountQueryOptions().queryKey }),
  ]);
}

/** A new request: the queue (when on view) and the badge are fetched again, so it appears at the top. */
export async function afterNewRequest(queryClient: QueryClient): Promise<void> {
  await queryClient.invalidateQueries({ queryKey: APPROVALS_KEY });
}

/** Replaces one request wherever a loaded list page holds it (a decision seen on the socket or in an answer). */
export function patchApprovalInLists(queryClient: QueryClient, id: string, patch: (approval: Approval) => Approval): void {
  queryClient.setQueriesData<InfiniteData<ApprovalList, string | undefined>>({ queryKey: LISTS_KEY }, (data) => {
    if (!data) return data;
    let changed = false;
    const pages = data.pages.map((page) => {
      if (!page.items.some((item) => item.id === id)) return page;
      changed = true;
      return { ...page, items: page.items.map((item) => (item.id === id ? patch(item) : item)) };
    });
    return changed ? { ...data, pages } : data;
  });
}
