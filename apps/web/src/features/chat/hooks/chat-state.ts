import type { ChatAction, ChatState, ServerEvent } from './chat-state.types';
import { conversationOf, updateConversation, updateRun } from './conversation-updates';
import { reduceRunEvent } from './run-events';
import { reduceToolCallEvent } from './tool-call-events';

/**
 * The chat's live state, as a pure reducer over the socket's events and the page's own sends
 * (docs/web.md "Chat"). The stored messages stay in the query cache; `mergeMessages`
 * (merge-messages.ts) lays the live ones over them.
 */

/** The state key of a chat that has no conversation yet (`/`). */
export const NEW_CHAT = 'new';

export const initialChatState: ChatState = { conversations: {}, runs: {}, viewer: null };

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'viewer':
      return { ...state, viewer: action.viewer };
    case 'reset':
      return { ...initialChatState, viewer: state.viewer };
    case 'sent':
      return updateConversation(state, action.key, (conversation) => ({
        ...conversation,
        live: [...conversation.live, { item: action.item, afterStoredId: action.afterStoredId }],
      }));
    case 'acknowledged':
      return updateConversation(state, action.key, (conversation) => ({
        ...conversation,
        live: conversation.live.map((entry) =>
          entry.item.id === action.localId ? { ...entry, item: { ...entry.item, runId: action.runId, phase: null } } : entry,
        ),
      }));
    case 'refused':
      return updateConversation(state, action.key, (conversation) => ({
        ...conversation,
        live: conversation.live.filter((entry) => entry.item.id !== action.localId),
      }));
    case 'moved':
      return move(state, action.from, action.to);
    case 'join-started':
      return updateConversation(state, action.conversationId, (conversation) => ({ ...conversation, replayDeltas: {} }));
    case 'join-ended':
      return updateConversation(state, action.conversationId, (conversation) => ({ ...conversation, replayDeltas: null }));
    case 'server':
      return reduceServerEvent(state, action.event, action.now);
    case 'run-lost':
      return updateRun(state, action.runId, (item) =>
        item.phase === 'streaming'
          ? {
              ...item,
              phase: 'failed',
              error: { code: 'RUN_LOST', message: 'The connection dropped before this answer ended, and the server no longer has it.' },
            }
          : item,
      );
  }
}

function reduceServerEvent(state: ChatState, event: ServerEvent, now: number): ChatState {
  switch (event.name) {
    // The list of conversations and the move of a new chat are the session's business.
    case 'conversation:created':
      return state;
    case 'model:selected':
    case 'message:delta':
    case 'run:error':
    case 'message:completed':
      return reduceRunEvent(state, event, now);
    case 'tool:call':
    case 'tool:result':
    case 'approval:required':
    case 'approval:decided':
    case 'confirmation:required':
    case 'confirmation:decided':
      return reduceToolCallEvent(state, event, now);
  }
}

function move(state: ChatState, from: string, to: string): ChatState {
  const source = state.conversations[from];
  if (!source || from === to) return state;
  const target = conversationOf(state, to);
  const conversations = { ...state.conversations };
  delete conversations[from];
  conversations[to] = {
    live: [...source.live, ...target.live],
    deltaCounts: { ...source.deltaCounts, ...target.deltaCounts },
    replayDeltas: target.replayDeltas,
    lastFinished: target.lastFinished ?? source.lastFinished,
  };
  const runs = Object.fromEntries(Object.entries(state.runs).map(([runId, key]) => [runId, key === from ? to : key]));
  return { ...state, conversations, runs };
}
