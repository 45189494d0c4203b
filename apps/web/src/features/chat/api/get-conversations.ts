import type { ApiComponents } from '@aegis/contracts';
import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { dataOf } from '../../../lib/api-error';

export type Conversation = ApiComponents['schemas']['ConversationDto'];
export type ConversationPage = ApiComponents['schemas']['ConversationPageDto'];

/** Every conversation query lives under this key: a finished run or a new conversation invalidates it. */
const CONVERSATIONS_KEY = ['conversations'] as const;
/** The lists (every search) under CONVERSATIONS_KEY, apart from anything kept per conversation. */
export const CONVERSATION_LISTS_KEY = [...CONVERSATIONS_KEY, 'list'] as const;

interface ConversationListParams {
  /** Title search; blank lists every conversation. */
  q: string;
}

/** One page of the caller's conversations, most recently active first. */
async function getConversations({ cursor, q, signal }: { cursor?: string; q?: string; signal?: AbortSignal }): Promise<ConversationPage> {
  const query = { ...(cursor ? { cursor } : {}), ...(q ? { q } : {}) };
  return dataOf(await apiClient.GET('/api/conversations', { params: { query }, signal }));
}

function conversationsQueryOptions({ q }: ConversationListParams) {
  const search = q.trim();
  return infiniteQueryOptions({
    queryKey: [...CONVERSATION_LISTS_KEY, { q: search }],
    queryFn: ({ pageParam, signal }) => getConversations({ cursor: pageParam, q: search, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}

export function useConversations(params: ConversationListParams) {
  // While a new search loads, the previous results stay in place instead of flashing skeletons.
  return useInfiniteQuery({ ...conversationsQueryOptions(params), placeholderData: keepPreviousData });
}
