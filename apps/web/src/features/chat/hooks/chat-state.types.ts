import type { ServerToClientEvents } from '@aegis/contracts';
import type { ChatMessageItem, MessagePhase } from '../types';

/** The shapes of the chat's live state and of what changes it (docs/web.md "Chat"); the reducer is chat-state.ts. */

export interface Viewer {
  id: string;
  role: string;
}

interface LiveMessage {
  item: ChatMessageItem;
  /** For a message sent from this page: the newest stored message when it was sent; its stored copy comes after it. */
  afterStoredId: string | null;
}

export interface ConversationLive {
  /** Messages this page knows before the stored list does: sent ones, and the answers of runs, in order. */
  live: readonly LiveMessage[];
  /** How many `message:delta` of each run are in its text. */
  deltaCounts: Readonly<Record<string, number>>;
  /** While a `conversation:join` is answered: how many deltas of each run its replay has sent so far. */
  replayDeltas: Readonly<Record<string, number>> | null;
  /** The last run that ended here, for the live region. */
  lastFinished: { runId: string; phase: MessagePhase } | null;
}

export interface ChatState {
  conversations: Readonly<Record<string, ConversationLive>>;
  /** The state key of each run's conversation. */
  runs: Readonly<Record<string, string>>;
  viewer: Viewer | null;
}

type ServerEventName = keyof ServerToClientEvents;
/** One event from the server, its name and payload kept together. */
export type ServerEvent = {
  [Name in ServerEventName]: { name: Name; payload: Parameters<ServerToClientEvents[Name]>[0] };
}[ServerEventName];

export type ChatAction =
  | { type: 'viewer'; viewer: Viewer | null }
  | { type: 'sent'; key: string; item: ChatMessageItem; afterStoredId: string | null }
  | { type: 'acknowledged'; key: string; localId: string; runId: string }
  | { type: 'refused'; key: string; localId: string }
  /** A new chat got its conversation: its state moves to the conversation's key. */
  | { type: 'moved'; from: string; to: string }
  | { type: 'join-started'; conversationId: string }
  | { type: 'join-ended'; conversationId: string }
  | { type: 'server'; event: ServerEvent; now: number }
  /** A rejoin found the run neither going on nor stored: its end was never told. */
  | { type: 'run-lost'; runId: string }
  | { type: 'reset' };
