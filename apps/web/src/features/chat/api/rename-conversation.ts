import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';
import { CONVERSATIONS_KEY, type Conversation } from './get-conversations';

export async function renameConversation({ id, title }: { id: string; title: string }): Promise<Conversation> {
  return dataOf(await apiClient.PATCH('/api/conversations/{id}', { params: { path: { id } }, body: { title } }));
}

export function useRenameConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: renameConversation,
    // Everything under the prefix: the lists and any thread that shows the title.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CONVERSATIONS_KEY }),
  });
}
