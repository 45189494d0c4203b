import type { ApiComponents } from '@aegis/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

export type ContainerLogs = ApiComponents['schemas']['DockerLogsDto'];

export interface ContainerLogsRequest {
  /** The container's allowlisted name (or id). */
  container: string;
  tail: number;
}

/** The last `tail` lines of a container (an audited docker_logs call). */
export async function getContainerLogs(
  { container, tail }: ContainerLogsRequest,
  { signal }: { signal?: AbortSignal } = {},
): Promise<ContainerLogs> {
  return dataOf(await apiClient.GET('/api/docker/containers/{id}/logs', { params: { path: { id: container }, query: { tail } }, signal }));
}

export function containerLogsQueryOptions(request: ContainerLogsRequest) {
  return queryOptions({
    queryKey: [...containerLogsKey(request.container), request.tail],
    queryFn: ({ signal }) => getContainerLogs(request, { signal }),
    // A log changes all the time: read again whenever it is shown anew; each read is audited, so not on focus.
    staleTime: 0,
    refetchOnWindowFocus: false,
  });
}

/** Every cached read of one container's log (after a restart its log starts again). */
export function containerLogsKey(container: string) {
  return ['docker', 'logs', container] as const;
}

export function useContainerLogs(request: ContainerLogsRequest, { enabled }: { enabled: boolean }) {
  return useQuery({ ...containerLogsQueryOptions(request), enabled });
}

/**
 * The logs endpoint's download form: the same last `tail` lines (only those containing `search`,
 * filtered by the server like the view filters them) as a text/plain attachment named after the
 * container and the time.
 */
export function containerLogsDownloadUrl(container: string, tail: number, search: string): string {
  const query = new URLSearchParams({ tail: String(tail), download: '1' });
  if (search.trim() !== '') query.set('search', search);
  return `/api/docker/containers/${encodeURIComponent(container)}/logs?${query.toString()}`;
}

/** The live follow's address (Server-Sent Events). */
export function containerLogStreamUrl(container: string, tail: number): string {
  return `/api/docker/containers/${encodeURIComponent(container)}/logs/stream?tail=${tail}`;
}
