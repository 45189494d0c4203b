import type { ApiComponents } from '@aegis/contracts';
import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

export type MemoryItem = ApiComponents['schemas']['MemoryItemDto'];
export type MemoryPage = ApiComponents['schemas']['MemoryPageDto'];

export const MEMORY_KEY = ['memory'] as const;

/** Items a search or a page shows at once (the API allows up to 100). */
export const MEMORY_PAGE_SIZE = 20;

/**
 * Without `q`: the newest items, one page at a time. With `q`: the server's full-text search, its
 * best matches in one page (no cursor).
 */
export async function getMemory({ cursor, q, signal }: { cursor?: string; q?: string; signal?: AbortSignal }): Promise<MemoryPage> {
  const query = { limit: MEMORY_PAGE_SIZE, ...(cursor ? { cursor } : {}), ...(q ? { q } : {}) };
  return dataOf(await apiClient.GET('/api/memory', { params: { query }, signal }));
}

export function memoryQueryOptions({ q }: { q: string }) {
  const search = q.trim();
  return infiniteQueryOptions({
    queryKey: [...MEMORY_KEY, { q: search }],
    queryFn: ({ pageParam, signal }) => getMemory({ cursor: pageParam, q: search, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}

export function useMemory({ q }: { q: string }) {
  return useInfiniteQuery({ ...memoryQueryOptions({ q }), placeholderData: keepPreviousData });
}
