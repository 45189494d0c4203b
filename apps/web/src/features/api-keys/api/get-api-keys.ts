import type { ApiComponents } from '@aegis/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

export type ApiKey = ApiComponents['schemas']['ApiKeyDto'];

/** The signed-in user's own API keys, newest first, revoked ones included. */
export async function getApiKeys({ signal }: { signal?: AbortSignal } = {}): Promise<ApiKey[]> {
  return dataOf(await apiClient.GET('/api/api-keys', { signal })).items;
}

export function apiKeysQueryOptions() {
  return queryOptions({
    queryKey: ['api-keys'],
    queryFn: ({ signal }) => getApiKeys({ signal }),
  });
}

export function useApiKeys() {
  return useQuery(apiKeysQueryOptions());
}
