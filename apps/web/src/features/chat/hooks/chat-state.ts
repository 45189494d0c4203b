import type { ActionClass, ChatMessageView, ServerToClientEvents, ToolCallRecord } from '@aegis/contracts';
import type { ChatMessageItem, MessagePhase, ToolCallView } from '../types';

/**
 * The chat's live state, as a pure reducer over the socket's events and the page's own sends
 * (docs/web.md "Chat"). The stored messages stay in the query cache; `mergeMessages` lays the
 * live ones over them.
 */

/** The state key of a chat that has no conversation yet (`/`). */
export const NEW_CHAT = 'new';

export interface Viewer {
  id: string;
  role: string;
}

export interface LiveMessage {
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
export type ServerEvent = { [Name in ServerEventName]: { name: Name; payload: Parameters<ServerToClientEvents[Name]>[0] } }[ServerEventName];

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

export const initialChatState: ChatState = { conversations: {}, runs: {}, viewer: null };

const EMPTY_CONVERSATION: ConversationLive = { live: [], deltaCounts: {}, replayDeltas: null, lastFinished: null };

export function conversationOf(state: ChatState, key: string): ConversationLive {
  return state.conversations[key] ?? EMPTY_CONVERSATION;
}

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
          ? { ...item, phase: 'failed', error: { code: 'RUN_LOST', message: 'The connection dropped before this answer ended, and the server no longer has it.' } }
          : item,
      );
  }
}

function reduceServerEvent(state: ChatState, event: ServerEvent, now: number): ChatState {
  switch (event.name) {
    // The list of conversations and the move of a new chat are the session's business.
    case 'conversation:created':
      return state;
    case 'model:selected': {
      const { runId, conversationId, provider, model } = event.payload;
      return updateRun(ensureRun(state, runId, conversationId, now), runId, (item) => ({ ...item, provider, model }));
    }
    case 'message:delta':
      return appendDelta(ensureRun(state, event.payload.runId, event.payload.conversationId, now), event.payload.runId, event.payload.text);
    case 'tool:call': {
      const { runId, conversationId, toolCallId, tool, args } = event.payload;
      return updateRun(ensureRun(state, runId, conversationId, now), runId, (item) =>
        item.toolCalls.some((call) => call.toolCallId === toolCallId)
          ? item
          : { ...item, toolCalls: [...item.toolCalls, { ...newToolCall(toolCallId, tool, args), startedAt: clockOf(state, conversationId, now) }] },
      );
    }
    case 'tool:result': {
      const { runId, conversationId, call } = event.payload;
      return updateRun(ensureRun(state, runId, conversationId, now), runId, (item) =>
        upsertCall(item, call.toolCallId, () => ({ ...newToolCall(call.toolCallId, call.tool, call.args), startedAt: null }), (view) => ({
          ...view,
          phase: call.status,
          output: call.output,
          errorCode: call.errorCode,
          actionId: call.actionId,
          // Servers before the field existed send no actionClass: keep what the card showed.
          actionClass: call.actionClass === undefined ? view.actionClass : call.actionClass,
          finishedAt: view.finishedAt ?? clockOf(state, conversationId, now),
        })),
      );
    }
    case 'approval:required': {
      const event_ = event.payload;
      if (!event_.runId || !state.runs[event_.runId]) return state;
      const viewer = state.viewer;
      return updateRun(state, event_.runId, (item) => {
        const index = findCall(item.toolCalls, event_.toolCallId, (call) => call.tool === event_.tool && call.phase === 'running');
        return replaceCall(item, index, (view) => ({
          ...view,
          phase: view.phase === 'running' ? 'awaiting-approval' : view.phase,
          actionClass: event_.actionClass,
          approval: {
            approvalId: event_.approvalId,
            expiresAt: event_.expiresAt,
            requestedBy: event_.requestedBy.name,
            justification: event_.justification,
            needsAnotherAdmin: viewer !== null && viewer.role === 'admin' && viewer.id === event_.requestedBy.userId,
          },
        }));
      });
    }
    case 'approval:decided': {
      const event_ = event.payload;
      if (!event_.runId || !state.runs[event_.runId]) return state;
      return updateRun(state, event_.runId, (item) => {
        const index = findCall(item.toolCalls, event_.toolCallId, (call) => call.approval?.approvalId === event_.approvalId);
        return replaceCall(item, index, (view) => ({
          ...view,
          phase: view.phase === 'awaiting-approval' ? (event_.status === 'approved' ? 'running' : event_.status) : view.phase,
          approvalDecision: { status: event_.status, decidedBy: event_.decidedBy?.name ?? null, comment: event_.comment },
        }));
      });
    }
    case 'confirmation:required': {
      const { runId, conversationId, toolCallId, tool, args, actionClass, justification, expiresAt, confirmationId } = event.payload;
      return updateRun(ensureRun(state, runId, conversationId, now), runId, (item) =>
        upsertCall(item, toolCallId, () => ({ ...newToolCall(toolCallId, tool, args), startedAt: clockOf(state, conversationId, now) }), (view) => ({
          ...view,
          phase: view.phase === 'running' ? 'awaiting-confirmation' : view.phase,
          actionClass,
          confirmation: { confirmationId, expiresAt, justification, args },
        })),
      );
    }
    case 'confirmation:decided': {
      const { runId, confirmationId, decision } = event.payload;
      if (!state.runs[runId]) return state;
      return updateRun(state, runId, (item) => {
        const index = item.toolCalls.findIndex((call) => call.confirmation?.confirmationId === confirmationId);
        return replaceCall(item, index, (view) => ({
          ...view,
          phase:
            view.phase === 'awaiting-confirmation'
              ? decision === 'confirmed'
                ? 'running'
                : decision === 'declined'
                  ? 'rejected'
                  : decision
              : view.phase,
        }));
      });
    }
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

/** The time of an event as it happened, or null for a replayed one (a card shows no made-up duration). */
function clockOf(state: ChatState, conversationId: string, now: number): number | null {
  return conversationOf(state, conversationId).replayDeltas === null ? now : null;
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

/** The run's answer, created as an empty streaming message at its first event. */
function ensureRun(state: ChatState, runId: string, conversationId: string, now: number): ChatState {
  if (state.runs[runId] !== undefined) return state;
  const item: ChatMessageItem = {
    id: `run-${runId}`,
    role: 'assistant',
    content: '',
    fileIds: [],
    toolCalls: [],
    provider: null,
    model: null,
    inputTokens: 0,
    outputTokens: 0,
    costMicroDollars: 0,
    runId,
    phase: 'streaming',
    error: null,
    createdAt: new Date(now).toISOString(),
  };
  const withRun: ChatState = { ...state, runs: { ...state.runs, [runId]: conversationId } };
  return updateConversation(withRun, conversationId, (conversation) => ({
    ...conversation,
    live: [...conversation.live, { item, afterStoredId: null }],
  }));
}

function updateRun(state: ChatState, runId: string, update: (item: ChatMessageItem) => ChatMessageItem): ChatState {
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

function updateConversation(state: ChatState, key: string, update: (conversation: ConversationLive) => ConversationLive): ChatState {
  const current = conversationOf(state, key);
  const next = update(current);
  if (next === current) return state;
  return { ...state, conversations: { ...state.conversations, [key]: next } };
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

function newToolCall(toolCallId: string, tool: string, args: unknown): ToolCallView {
  return {
    toolCallId,
    tool,
    args,
    actionClass: null,
    phase: 'running',
    output: null,
    errorCode: null,
    actionId: null,
    approval: null,
    approvalDecision: null,
    confirmation: null,
    startedAt: null,
    finishedAt: null,
  };
}

/** By its id when the event names it, else the newest call that fits. */
function findCall(calls: readonly ToolCallView[], toolCallId: string | null | undefined, fits: (call: ToolCallView) => boolean): number {
  if (toolCallId) {
    const index = calls.findIndex((call) => call.toolCallId === toolCallId);
    if (index >= 0) return index;
  }
  return calls.findLastIndex(fits);
}

function replaceCall(item: ChatMessageItem, index: number, update: (call: ToolCallView) => ToolCallView): ChatMessageItem {
  const call = item.toolCalls[index];
  if (!call) return item;
  const toolCalls = [...item.toolCalls];
  toolCalls[index] = update(call);
  return { ...item, toolCalls };
}

function upsertCall(item: ChatMessageItem, toolCallId: string, create: () => ToolCallView, update: (call: ToolCallView) => ToolCallView): ChatMessageItem {
  const index = item.toolCalls.findIndex((call) => call.toolCallId === toolCallId);
  if (index >= 0) return replaceCall(item, index, update);
  return { ...item, toolCalls: [...item.toolCalls, update(create())] };
}

/** The stored answer, keeping what only the live events told: who approved, the confirmation, the timings, the run's error. */
function withLiveDetails(stored: ChatMessageItem, live: ChatMessageItem): ChatMessageItem {
  const liveCalls = new Map(live.toolCalls.map((call) => [call.toolCallId, call]));
  return {
    ...stored,
    error: live.error,
    toolCalls: stored.toolCalls.map((call) => {
      const seen = liveCalls.get(call.toolCallId);
      if (!seen) return call;
      const { approval, approvalDecision, confirmation, startedAt, finishedAt } = seen;
      return { ...call, approval, approvalDecision, confirmation, startedAt, finishedAt };
    }),
  };
}

export function recordToView(record: ToolCallRecord): ToolCallView {
  return {
    ...newToolCall(record.toolCallId, record.tool, record.args),
    // Messages stored before the field existed have none.
    actionClass: record.actionClass ?? null,
    phase: record.status,
    output: record.output,
    errorCode: record.errorCode,
    actionId: record.actionId,
  };
}

export function storedToItem(message: ChatMessageView): ChatMessageItem {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    fileIds: message.fileIds,
    toolCalls: message.toolCalls.map(recordToView),
    provider: message.provider,
    model: message.model,
    inputTokens: message.inputTokens,
    outputTokens: message.outputTokens,
    costMicroDollars: message.costMicroDollars,
    runId: message.runId,
    phase: message.status,
    error: null,
    createdAt: message.createdAt,
  };
}

/** A random UUID v4; `crypto.randomUUID` exists only on https and localhost pages, `getRandomValues` everywhere. */
function randomUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A message typed here, shown at once under a temporary id until its stored copy arrives. */
export function localUserMessage(content: string, fileIds: readonly string[], now: number): ChatMessageItem {
  return {
    id: `local-${randomUuid()}`,
    role: 'user',
    content,
    fileIds: [...fileIds],
    toolCalls: [],
    provider: null,
    model: null,
    inputTokens: 0,
    outputTokens: 0,
    costMicroDollars: 0,
    runId: null,
    phase: 'sending',
    error: null,
    createdAt: new Date(now).toISOString(),
  };
}

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

export interface MergedThread {
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
    conversation.live.flatMap(({ item }) => (item.role === 'assistant' && item.runId && item.phase !== 'streaming' ? [[item.runId, item] as const] : [])),
  );
  const storedItems = (stored ?? []).map((message) => (message.runId && message.role === 'assistant' && endedHere.get(message.runId)) || cachedItem(message));
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
