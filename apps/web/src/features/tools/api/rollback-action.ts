import type { ApiComponents } from '@aegis/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

export type RollbackResult = ApiComponents['schemas']['RollbackResultDto'];

/** Undoes a recorded action (admin); the answer says what was restored. */
export async function rollbackAction({ id, reason }: { id: string; reason?: string }): Promise<RollbackResult> {
  return dataOf(await apiClient.POST('/api/actions/{id}/rollback', { params: { path: { id } }, body: reason ? { reason } : {} }));
}

export function useRollbackAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: rollbackAction,
    // The row now says it was rolled back (and by whom); other rows may have changed too.
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['actions'] }),
  });
}
