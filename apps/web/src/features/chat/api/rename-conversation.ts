import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';
import { CONVERSATION_LISTS_KEY, type Conversation } from './get-conversations';

async function renameConversation({ id, title }: { id: string; title: string }): Promise<Conversation> {
  return dataOf(await apiClient.PATCH('/api/conversations/{id}', { params: { path: { id } }, body: { title } }));
}

export function useRenameConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: renameConversation,
    // Only the lists show titles; refetching the open thread's messages mid-answer would gain nothing.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CONVERSATION_LISTS_KEY }),
  });
}
