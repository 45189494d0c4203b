import type { ApiComponents } from '@aegis/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

export type ToolCatalog = ApiComponents['schemas']['ToolCatalogDto'];
export type ToolCatalogItem = ApiComponents['schemas']['ToolCatalogItemDto'];

/** Every tool with its class, minimum role, argument schema and what the policy means for the caller. */
export async function getTools({ signal }: { signal?: AbortSignal } = {}): Promise<ToolCatalog> {
  return dataOf(await apiClient.GET('/api/tools', { signal }));
}

export function toolsQueryOptions() {
  return queryOptions({
    queryKey: ['tools', 'catalogue'],
    queryFn: ({ signal }) => getTools({ signal }),
    staleTime: 60_000,
  });
}

export function useTools() {
  return useQuery(toolsQueryOptions());
}
