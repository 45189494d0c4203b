import type { ApiComponents } from '@aegis/contracts';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';
import { auditFilterQuery, type AuditFilters } from '../search';

export type AuditEntry = ApiComponents['schemas']['AuditEntryDto'];
export type AuditPage = ApiComponents['schemas']['AuditPageDto'];

/** Entries per page ("Load more" asks for the next 50). */
export const AUDIT_PAGE_SIZE = 50;

/** One page of the chain, newest first; `cursor` is the previous page's `nextCursor` (older entries). */
export async function getAuditPage(
  filters: AuditFilters,
  cursor: string | undefined,
  { signal }: { signal?: AbortSignal } = {},
): Promise<AuditPage> {
  return dataOf(
    await apiClient.GET('/api/audit', {
      params: { query: { ...auditFilterQuery(filters), cursor, limit: AUDIT_PAGE_SIZE } },
      signal,
    }),
  );
}

/** Every key of the audit screen's queries starts here. */
export const AUDIT_QUERY_KEY = ['audit'] as const;

export function auditEntriesQueryOptions(filters: AuditFilters) {
  return infiniteQueryOptions({
    queryKey: [...AUDIT_QUERY_KEY, 'entries', filters],
    queryFn: ({ pageParam, signal }) => getAuditPage(filters, pageParam, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The filtered chain, a page at a time: the cursor lives here, in memory, not in the URL. */
export function useAuditEntries(filters: AuditFilters) {
  return useInfiniteQuery(auditEntriesQueryOptions(filters));
}
