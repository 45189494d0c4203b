import type { ApiComponents } from '@aegis/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

export type SystemInfo = ApiComponents['schemas']['SystemDto'];
export type ConfigEntry = ApiComponents['schemas']['ConfigEntryDto'];

/** The server as an admin may see it: configuration (secrets masked by the server), sandbox, versions, database, Redis, Docker, uptime. */
export async function getSystem({ signal }: { signal?: AbortSignal } = {}): Promise<SystemInfo> {
  return dataOf(await apiClient.GET('/api/system', { signal }));
}

export function systemQueryOptions() {
  return queryOptions({
    queryKey: ['system'],
    queryFn: ({ signal }) => getSystem({ signal }),
  });
}

export function useSystem() {
  return useQuery(systemQueryOptions());
}
