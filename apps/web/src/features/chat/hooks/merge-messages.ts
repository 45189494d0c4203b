import type { ActionClass, ChatMessageView } from '@aegis/contracts';
import type { ChatMessageItem, ToolCallView } from '../types';
import { storedToItem } from './chat-items';
import type { ConversationLive } from './chat-state.types';

/** One view per stored message, so that a message that did not change keeps its identity (and is not drawn again) while another streams. */
const storedItems = new WeakMap<ChatMessageView, ChatMessageItem>();

function cachedItem(message: ChatMessageView): ChatMessageItem {
  let item = storedItems.get(message);
  if (!item) {
    item = storedToItem(message);
    storedItems.set(message, item);
  }
  return item;
}

interface MergedThread {
  messages: ChatMessageItem[];
  /** The run going on in this conversation: its id, or null while the server has not acknowledged the message yet. */
  activeRun: { runId: string | null } | null;
}

const STILL_DECIDING: ReadonlySet<ToolCallView['phase']> = new Set(['running', 'awaiting-approval', 'awaiting-confirmation']);

/**
 * The thread as shown: the stored messages, then the live ones the stored list does not have yet.
 * A run's stored answer replaces its streamed one; a sent message's stored copy (the same text,
 * after the message that was newest when it was sent) replaces the optimistic one.
 */
export function mergeMessages(
  stored: readonly ChatMessageView[] | undefined,
  conversation: ConversationLive,
  toolClasses: Readonly<Record<string, ActionClass>>,
): MergedThread {
  // A run that ended while on view keeps its live copy: the stored answer with what the events added.
  const endedHere = new Map(
    conversation.live.flatMap(({ item }) =>
      item.role === 'assistant' && item.runId && item.phase !== 'streaming' ? [[item.runId, item] as const] : [],
    ),
  );
  const storedItems = (stored ?? []).map(
    (message) => (message.runId && message.role === 'assistant' && endedHere.get(message.runId)) || cachedItem(message),
  );
  const storedRuns = new Set(storedItems.flatMap((item) => (item.role === 'assistant' && item.runId ? [item.runId] : [])));
  const claimed = new Set<number>();
  const liveShown: ChatMessageItem[] = [];
  for (const { item, afterStoredId } of conversation.live) {
    if (item.role === 'assistant') {
      if (item.runId && storedRuns.has(item.runId)) continue;
      liveShown.push(withDeclaredClasses(item, toolClasses));
      continue;
    }
    const anchor = afterStoredId === null ? -1 : storedItems.findIndex((candidate) => candidate.id === afterStoredId);
    const copy = storedItems.findIndex(
      (candidate, index) => index > anchor && !claimed.has(index) && candidate.role === 'user' && sameMessage(candidate, item),
    );
    if (copy >= 0) claimed.add(copy);
    else liveShown.push(item);
  }
  return { messages: [...storedItems, ...liveShown], activeRun: activeRunOf(conversation, storedRuns) };
}

function activeRunOf(conversation: ConversationLive, storedRuns: ReadonlySet<string>): { runId: string | null } | null {
  const answered = new Set(conversation.live.flatMap(({ item }) => (item.role === 'assistant' && item.runId ? [item.runId] : [])));
  for (const { item } of [...conversation.live].reverse()) {
    if (item.role === 'assistant' && item.phase === 'streaming' && item.runId && !storedRuns.has(item.runId)) return { runId: item.runId };
    if (item.role === 'user' && item.phase === 'sending') return { runId: null };
    // Acknowledged, and no event of its run yet.
    if (item.role === 'user' && item.runId && !answered.has(item.runId) && !storedRuns.has(item.runId)) return { runId: item.runId };
  }
  return null;
}

function sameMessage(a: ChatMessageItem, b: ChatMessageItem): boolean {
  return a.content === b.content && a.fileIds.length === b.fileIds.length && a.fileIds.every((id, index) => id === b.fileIds[index]);
}

/** A call not yet classified by governance shows its tool's declared class. */
function withDeclaredClasses(item: ChatMessageItem, toolClasses: Readonly<Record<string, ActionClass>>): ChatMessageItem {
  if (!item.toolCalls.some((call) => call.actionClass === null && STILL_DECIDING.has(call.phase) && toolClasses[call.tool])) return item;
  return {
    ...item,
    toolCalls: item.toolCalls.map((call) =>
      call.actionClass === null && STILL_DECIDING.has(call.phase) ? { ...call, actionClass: toolClasses[call.tool] ?? null } : call,
    ),
  };
}
