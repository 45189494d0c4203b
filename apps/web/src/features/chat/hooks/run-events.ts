import { storedToItem, withLiveDetails } from './chat-items';
import type { ChatState, ServerEvent } from './chat-state.types';
import { conversationOf, ensureRun, updateConversation, updateRun } from './conversation-updates';

type RunServerEvent = Extract<ServerEvent, { name: 'model:selected' | 'message:delta' | 'run:error' | 'message:completed' }>;

/** A run's answer from its events: the model chosen, the text (each delta once, also across a replay), its error, its stored copy at the end. */
export function reduceRunEvent(state: ChatState, event: RunServerEvent, now: number): ChatState {
  switch (event.name) {
    case 'model:selected': {
      const { runId, conversationId, provider, model } = event.payload;
      return updateRun(ensureRun(state, runId, conversationId, now), runId, (item) => ({ ...item, provider, model }));
    }
    case 'message:delta':
      return appendDelta(ensureRun(state, event.payload.runId, event.payload.conversationId, now), event.payload.runId, event.payload.text);
    case 'run:error': {
      const { runId, conversationId, code, message } = event.payload;
      // Without a run it refused a message of this socket, and the acknowledgement says so where it was sent.
      if (!runId || !conversationId) return state;
      return updateRun(ensureRun(state, runId, conversationId, now), runId, (item) => ({ ...item, error: { code, message } }));
    }
    case 'message:completed': {
      const { runId, conversationId, message } = event.payload;
      const ensured = ensureRun(state, runId, conversationId, now);
      const key = ensured.runs[runId] ?? conversationId;
      const updated = updateRun(ensured, runId, (item) => withLiveDetails(storedToItem(message), item));
      return updateConversation(updated, key, (conversation) => ({
        ...conversation,
        lastFinished: { runId, phase: message.status ?? 'completed' },
      }));
    }
  }
}

/** Appends a delta unless a replay is re-sending one already in the text. */
function appendDelta(state: ChatState, runId: string, text: string): ChatState {
  const key = state.runs[runId];
  if (key === undefined) return state;
  const conversation = conversationOf(state, key);
  const applied = conversation.deltaCounts[runId] ?? 0;
  let replayDeltas = conversation.replayDeltas;
  if (replayDeltas) {
    // A replay starts at the run's first event: its first `applied` deltas are in the text already.
    const index = replayDeltas[runId] ?? 0;
    replayDeltas = { ...replayDeltas, [runId]: index + 1 };
    if (index < applied) return updateConversation(state, key, (current) => ({ ...current, replayDeltas }));
  }
  const withCount = updateConversation(state, key, (current) => ({
    ...current,
    replayDeltas,
    deltaCounts: { ...current.deltaCounts, [runId]: applied + 1 },
  }));
  return updateRun(withCount, runId, (item) => (item.phase === 'streaming' ? { ...item, content: item.content + text } : item));
}
