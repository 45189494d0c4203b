import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { assertOk } from '../../../lib/api-error';
import { MEMORY_KEY } from './get-memory';

export async function deleteMemory(id: string): Promise<void> {
  assertOk(await apiClient.DELETE('/api/memory/{id}', { params: { path: { id } } }));
}

export function useDeleteMemory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteMemory,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: MEMORY_KEY }),
  });
}
