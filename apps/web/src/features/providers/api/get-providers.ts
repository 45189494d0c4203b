import type { ApiComponents } from '@aegis/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

export type ProviderStatus = ApiComponents['schemas']['ProviderStatusDto'];

/** Every LLM provider the server knows: circuit, reachability, models, last failure. */
export async function getProviders({ signal }: { signal?: AbortSignal } = {}): Promise<ProviderStatus[]> {
  return dataOf(await apiClient.GET('/api/providers', { signal })).items;
}

export function providersQueryOptions() {
  return queryOptions({
    queryKey: ['providers', 'status'],
    queryFn: ({ signal }) => getProviders({ signal }),
    // Circuits open and close on their own: refresh while the screen is open.
    refetchInterval: 30_000,
  });
}

export function useProviders() {
  return useQuery(providersQueryOptions());
}
