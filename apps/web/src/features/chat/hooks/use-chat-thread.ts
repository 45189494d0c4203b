import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { chatConnection, type ChatConnectionState } from '../../../lib/chat-socket';
import { useMessages } from '../api/get-messages';
import { useToolClasses } from '../api/get-tools';
import { chatSession, type ChatSession } from './chat-session';
import { NEW_CHAT } from './chat-state';
import type { Viewer } from './chat-state.types';
import { conversationOf } from './conversation-updates';
import { mergeMessages } from './merge-messages';

/** The app's chat session, connected and listening while a chat view is mounted. */
export function useChatSession(viewer: Viewer | null): ChatSession {
  const queryClient = useQueryClient();
  const session = chatSession();
  useEffect(() => {
    session.attach(queryClient);
  }, [session, queryClient]);
  useEffect(() => {
    session.setViewer(viewer);
  }, [session, viewer]);
  return session;
}

/** The chat connection's state: connected, reconnecting (attempt, delay), offline or session ended. */
export function useChatConnectionState(): ChatConnectionState {
  const connection = chatConnection();
  return useSyncExternalStore(connection.subscribe, connection.getState);
}

/**
 * One conversation's thread (null: a new chat): stored messages with the live ones laid over
 * them, the run going on, and the last run that ended. Follows the conversation while mounted.
 */
export function useChatThread(session: ChatSession, conversationId: string | null) {
  const key = conversationId ?? NEW_CHAT;
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const stored = useMessages(conversationId);
  const toolClasses = useToolClasses();
  const conversation = conversationOf(state, key);
  const merged = useMemo(() => mergeMessages(stored.data, conversation, toolClasses), [stored.data, conversation, toolClasses]);

  useEffect(() => {
    if (conversationId === null) return;
    return session.follow(conversationId);
  }, [session, conversationId]);

  return { key, ...merged, stored, lastFinished: conversation.lastFinished };
}
