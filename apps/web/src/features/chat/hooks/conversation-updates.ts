import type { ChatMessageItem } from '../types';
import { streamingAnswer } from './chat-items';
import type { ChatState, ConversationLive } from './chat-state.types';

/** Immutable updates of the chat state: one conversation, one run's answer; shared by the reducers of the page's actions and of the server's events. */

const EMPTY_CONVERSATION: ConversationLive = { live: [], deltaCounts: {}, replayDeltas: null, lastFinished: null };

export function conversationOf(state: ChatState, key: string): ConversationLive {
  return state.conversations[key] ?? EMPTY_CONVERSATION;
}

export function updateRun(state: ChatState, runId: string, update: (item: ChatMessageItem) => ChatMessageItem): ChatState {
  const key = state.runs[runId];
  if (key === undefined) return state;
  return updateConversation(state, key, (conversation) => {
    const index = conversation.live.findIndex((entry) => entry.item.role === 'assistant' && entry.item.runId === runId);
    const entry = conversation.live[index];
    if (!entry) return conversation;
    const item = update(entry.item);
    if (item === entry.item) return conversation;
    const live = [...conversation.live];
    live[index] = { ...entry, item };
    return { ...conversation, live };
  });
}

export function updateConversation(state: ChatState, key: string, update: (conversation: ConversationLive) => ConversationLive): ChatState {
  const current = conversationOf(state, key);
  const next = update(current);
  if (next === current) return state;
  return { ...state, conversations: { ...state.conversations, [key]: next } };
}

/** The run's answer, created as an empty streaming message at its first event. */
export function ensureRun(state: ChatState, runId: string, conversationId: string, now: number): ChatState {
  if (state.runs[runId] !== undefined) return state;
  const item = streamingAnswer(runId, now);
  const withRun: ChatState = { ...state, runs: { ...state.runs, [runId]: conversationId } };
  return updateConversation(withRun, conversationId, (conversation) => ({
    ...conversation,
    live: [...conversation.live, { item, afterStoredId: null }],
  }));
}

/** The time of an event as it happened, or null for a replayed one (a card shows no made-up duration). */
export function clockOf(state: ChatState, conversationId: string, now: number): number | null {
  return conversationOf(state, conversationId).replayDeltas === null ? now : null;
}
