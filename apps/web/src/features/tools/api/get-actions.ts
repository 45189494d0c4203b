import type { ApiComponents } from '@aegis/contracts';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';
import { actionsQuery, type ActionsSearch } from '../search';

export type ActionPage = ApiComponents['schemas']['ActionPageDto'];
export type ActionItem = ApiComponents['schemas']['ActionListItemDto'];

const PAGE_SIZE = 50;

/** One page of recorded actions, newest first; admins see everyone's, others their own. */
export async function getActions(
  search: ActionsSearch,
  cursor: string | undefined,
  { signal }: { signal?: AbortSignal } = {},
): Promise<ActionPage> {
  return dataOf(
    await apiClient.GET('/api/actions', {
      params: { query: { ...actionsQuery(search), limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
      signal,
    }),
  );
}

export function actionsQueryOptions(search: ActionsSearch) {
  return infiniteQueryOptions({
    queryKey: ['actions', 'list', search],
    queryFn: ({ pageParam, signal }) => getActions(search, pageParam, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useActions(search: ActionsSearch) {
  return useInfiniteQuery(actionsQueryOptions(search));
}
