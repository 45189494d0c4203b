import type { ChatMessageView } from '@aegis/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

/** The stored messages of one conversation, oldest first, as the socket's `message:completed` carries them. */
async function getMessages(conversationId: string, { signal }: { signal?: AbortSignal } = {}): Promise<ChatMessageView[]> {
  const { items } = dataOf(await apiClient.GET('/api/conversations/{id}/messages', { params: { path: { id: conversationId } }, signal }));
  // The OpenAPI document types tool calls loosely; they are the contract's ToolCallRecord.
  return items as ChatMessageView[];
}

export function messagesQueryOptions(conversationId: string) {
  return queryOptions({
    queryKey: ['conversations', conversationId, 'messages'],
    queryFn: ({ signal }) => getMessages(conversationId, { signal }),
    // The socket keeps the thread current; refetches happen when a run ends or the socket rejoins.
    staleTime: Infinity,
  });
}

/** Disabled for a new chat (no id yet). */
export function useMessages(conversationId: string | null) {
  return useQuery({ ...messagesQueryOptions(conversationId ?? ''), enabled: conversationId !== null });
}
