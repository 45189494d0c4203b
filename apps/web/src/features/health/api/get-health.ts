import type { ApiPaths } from '@aegis/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { apiErrorFrom } from '../../../lib/api-error';

type HealthCheck = ApiPaths['/api/health']['get'];
export type HealthReport = HealthCheck['responses'][200]['content']['application/json'];

/** The terminus report; a failing check (503) is still a report to show, not an error. */
export async function getHealth({ signal }: { signal?: AbortSignal } = {}): Promise<HealthReport> {
  const { data, error, response } = await apiClient.GET('/api/health', { signal });
  if (data !== undefined) return data;
  if (response.status === 503 && isHealthReport(error)) return error;
  throw apiErrorFrom(response, error);
}

function isHealthReport(value: unknown): value is HealthReport {
  return typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'string';
}

export function healthQueryOptions() {
  return queryOptions({
    queryKey: ['health'],
    queryFn: ({ signal }) => getHealth({ signal }),
    refetchInterval: 30_000,
  });
}

export function useHealth() {
  return useQuery(healthQueryOptions());
}
