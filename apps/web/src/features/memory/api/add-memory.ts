import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';
import { MEMORY_KEY, type MemoryItem } from './get-memory';

/** The longest item the API keeps (MEMORY_CONTENT_MAX_LENGTH on the server). */
export const MEMORY_CONTENT_MAX_LENGTH = 4000;

export async function addMemory(content: string): Promise<MemoryItem> {
  return dataOf(await apiClient.POST('/api/memory', { body: { content } }));
}

export function useAddMemory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addMemory,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: MEMORY_KEY }),
  });
}
