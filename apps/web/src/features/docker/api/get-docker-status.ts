import type { ApiComponents } from '@aegis/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

export type DockerStatus = ApiComponents['schemas']['DockerStatusDto'];
export type Container = ApiComponents['schemas']['ContainerDto'];
export type ContainerHealth = ApiComponents['schemas']['ContainerHealth'];

/** The allowlisted containers, or `available: false` and why Docker cannot be reached (each call is an audited docker_list). */
export async function getDockerStatus({ signal }: { signal?: AbortSignal } = {}): Promise<DockerStatus> {
  return dataOf(await apiClient.GET('/api/docker/status', { signal }));
}

export function dockerStatusQueryOptions() {
  return queryOptions({
    queryKey: ['docker', 'status'],
    queryFn: ({ signal }) => getDockerStatus({ signal }),
    // Each read is audited: no refetch on focus; the page has a "Refresh" button and refetches after a restart.
    refetchOnWindowFocus: false,
  });
}

export function useDockerStatus() {
  return useQuery(dockerStatusQueryOptions());
}
