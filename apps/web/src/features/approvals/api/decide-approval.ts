import type { ApiComponents } from '@aegis/contracts';
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';
import { afterDecision, findApproval, patchApprovalInLists, type Approval } from './get-approvals';

export type ExecutedAction = ApiComponents['schemas']['ExecutedActionDto'];

/** Approves a pending request: the action runs once, with the stored arguments; resolves with how it ran. */
export async function approveApproval({ id, comment }: { id: string; comment: string }): Promise<ExecutedAction> {
  // The comment is optional: an empty one is not sent.
  const body = comment.trim() === '' ? {} : { comment: comment.trim() };
  return dataOf(await apiClient.POST('/api/approvals/{id}/approve', { params: { path: { id } }, body }));
}

/** Rejects a pending request with a reason: its action never runs. Resolves with the request as decided. */
export async function rejectApproval({ id, reason }: { id: string; reason: string }): Promise<Approval> {
  return dataOf(await apiClient.POST('/api/approvals/{id}/reject', { params: { path: { id } }, body: { reason: reason.trim() } }));
}

/** Brings one card up to date with the server (who decided, when, how the action ended), then refreshes the rest. */
async function settle(queryClient: QueryClient, id: string, known?: Approval): Promise<void> {
  const current = known ?? (await findApproval(id).catch(() => null));
  if (current) patchApprovalInLists(queryClient, id, () => current);
  await afterDecision(queryClient);
}

export function useApproveApproval() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: approveApproval,
    onSuccess: (_executed, { id }) => settle(queryClient, id),
    // A refusal may mean someone else decided first, and a failed run changes the request too.
    onError: (_error, { id }) => settle(queryClient, id),
  });
}

export function useRejectApproval() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: rejectApproval,
    onSuccess: (decided) => settle(queryClient, decided.id, decided),
    onError: (_error, { id }) => settle(queryClient, id),
  });
}
