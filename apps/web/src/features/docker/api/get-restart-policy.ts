import type { ApiComponents } from '@aegis/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

export type ToolPolicy = ApiComponents['schemas']['ToolPolicyDto'];
export type ActionClassName = ApiComponents['schemas']['ActionClass'];

/** What a restart means for the signed-in user: its class and what the policy asks of their role. */
export interface RestartPolicy {
  actionClass: ActionClassName;
  policy: ToolPolicy;
}

export const RESTART_TOOL = 'docker_restart';

/** docker_restart's entry in the tool catalogue (GET /api/tools answers for the caller's role). */
export async function getRestartPolicy({ signal }: { signal?: AbortSignal } = {}): Promise<RestartPolicy | null> {
  const catalogue = dataOf(await apiClient.GET('/api/tools', { signal }));
  const tool = catalogue.items.find((item) => item.name === RESTART_TOOL);
  return tool ? { actionClass: tool.actionClass, policy: tool.policy } : null;
}

export function restartPolicyQueryOptions() {
  return queryOptions({
    queryKey: ['docker', 'restart-policy'],
    queryFn: ({ signal }) => getRestartPolicy({ signal }),
    staleTime: 5 * 60_000,
  });
}

export function useRestartPolicy() {
  return useQuery(restartPolicyQueryOptions());
}
