import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

/** The LLM providers the server knows, in cascade order, with their models. */
export async function getProviders({ signal }: { signal?: AbortSignal } = {}) {
  return dataOf(await apiClient.GET('/api/providers', { signal })).items;
}

export type ProviderStatus = Awaited<ReturnType<typeof getProviders>>[number];

export function providersQueryOptions() {
  return queryOptions({
    queryKey: ['providers'],
    queryFn: ({ signal }) => getProviders({ signal }),
    staleTime: 60_000,
  });
}

export function useProviders() {
  return useQuery(providersQueryOptions());
}

/** The providers a person can pick a model of: configured and in the cascade, cascade order first. */
export function selectableProviders(providers: readonly ProviderStatus[]): ProviderStatus[] {
  return providers
    .filter((provider) => provider.configured && provider.position !== null)
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}
