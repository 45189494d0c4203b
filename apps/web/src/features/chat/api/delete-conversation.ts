import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { assertOk } from '../../../lib/api-error';
import { CONVERSATION_LISTS_KEY, type ConversationPage } from './get-conversations';

export async function deleteConversation(id: string): Promise<void> {
  assertOk(await apiClient.DELETE('/api/conversations/{id}', { params: { path: { id } } }));
}

export function useDeleteConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteConversation,
    onSuccess: async (_nothing, id) => {
      // Gone from every list at once; the refetch then settles the cursors.
      queryClient.setQueriesData<InfiniteData<ConversationPage, string | undefined>>({ queryKey: CONVERSATION_LISTS_KEY }, (data) =>
        data ? { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== id) })) } : data,
      );
      // Only the lists: a query of the deleted conversation's own messages would just answer 404.
      await queryClient.invalidateQueries({ queryKey: CONVERSATION_LISTS_KEY });
    },
  });
}
