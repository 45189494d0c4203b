import type { ApiComponents } from '@aegis/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { apiErrorFrom } from '../../../lib/api-error';
import { containerLogsKey } from './get-container-logs';
import { dockerStatusQueryOptions } from './get-docker-status';

export type ExecutedAction = ApiComponents['schemas']['ExecutedActionDto'];
export type PendingApproval = ApiComponents['schemas']['PendingApprovalDto'];

/** How a restart request was answered: it ran (200), or it waits for an admin's approval (202). */
export type RestartAnswer = { kind: 'executed'; action: ExecutedAction } | { kind: 'pending'; approval: PendingApproval };

export interface RestartRequest {
  container: string;
  justification?: string;
}

/** POST /api/docker/containers/:id/restart through governance (docker_restart). */
export async function restartContainer({ container, justification }: RestartRequest): Promise<RestartAnswer> {
  const { data, error, response } = await apiClient.POST('/api/docker/containers/{id}/restart', {
    params: { path: { id: container } },
    body: justification ? { justification } : {},
  });
  if (!response.ok || data === undefined) throw apiErrorFrom(response, error);
  if (response.status === 202 && 'approvalId' in data) return { kind: 'pending', approval: data };
  if ('actionId' in data) return { kind: 'executed', action: data };
  throw apiErrorFrom(response, error);
}

export function useRestartContainer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: restartContainer,
    onSuccess: (answer, { container }) => {
      if (answer.kind !== 'executed') return;
      void queryClient.invalidateQueries({ queryKey: dockerStatusQueryOptions().queryKey });
      void queryClient.invalidateQueries({ queryKey: containerLogsKey(container) });
    },
  });
}
