import type { ApiComponents } from '@aegis/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { apiErrorFrom } from '../../../lib/api-error';

export type ExecutedAction = ApiComponents['schemas']['ExecutedActionDto'];
export type PendingApproval = ApiComponents['schemas']['PendingApprovalDto'];

export interface ExecuteToolInput {
  name: string;
  args: Record<string, unknown>;
  justification?: string;
}

/** How a run through governance came back: it ran (200), or it waits for an admin (202). */
export type ToolRunOutcome = { kind: 'executed'; action: ExecutedAction } | { kind: 'pending'; approval: PendingApproval };

export async function executeTool({ name, args, justification }: ExecuteToolInput): Promise<ToolRunOutcome> {
  const { data, error, response } = await apiClient.POST('/api/tools/{name}/execute', {
    params: { path: { name } },
    body: { args, ...(justification ? { justification } : {}) },
  });
  if (!response.ok || data === undefined) throw apiErrorFrom(response, error);
  if (response.status === 202 && 'approvalId' in data) return { kind: 'pending', approval: data };
  if ('actionId' in data) return { kind: 'executed', action: data };
  throw apiErrorFrom(response, error);
}

export function useExecuteTool() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: executeTool,
    // A run adds to the actions history.
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['actions'] }),
  });
}
