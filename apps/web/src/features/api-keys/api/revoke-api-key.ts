import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { assertOk } from '../../../lib/api-error';
import { apiKeysQueryOptions } from './get-api-keys';

export async function revokeApiKey(id: string): Promise<void> {
  assertOk(await apiClient.DELETE('/api/api-keys/{id}', { params: { path: { id } } }));
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeApiKey,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysQueryOptions().queryKey }),
  });
}
