import { ErrorCode, type ChatMessageView, type ConfirmationAnswer, type MessageSendAck } from '@aegis/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { chatConnection, ChatSocketError, type ChatConnection, type ServerEventName } from '../../../lib/chat-socket';
import { onSessionEnd } from '../../../lib/session-events';
import { CONVERSATION_LISTS_KEY } from '../api/get-conversations';
import { messagesQueryOptions } from '../api/get-messages';
import { localUserMessage } from './chat-items';
import { chatReducer, initialChatState, NEW_CHAT } from './chat-state';
import type { ChatAction, ChatState, ServerEvent, Viewer } from './chat-state.types';
import { conversationOf } from './conversation-updates';

export interface SendInput {
  content: string;
  fileIds: readonly string[];
  /** Omitted: the server picks (Automatic). */
  model?: string;
}

export type SendOutcome = { ok: true; conversationId: string; runId: string } | { ok: false; code: string; message: string };

const SERVER_EVENTS: readonly ServerEventName[] = [
  'conversation:created',
  'model:selected',
  'message:delta',
  'message:completed',
  'tool:call',
  'tool:result',
  'approval:required',
  'approval:decided',
  'confirmation:required',
  'confirmation:decided',
  'run:error',
];

/** How long a message waits for the connection before it is given back. */
const CONNECT_WAIT_MS = 15_000;

/**
 * The chat's one live session: it feeds the socket's events to the reducer, sends, stops and
 * confirms, and (re)joins the conversations on view and those with a run going on each time the
 * connection is (re)established, so the server replays what was missed.
 */
export class ChatSession {
  private state: ChatState = initialChatState;
  private readonly listeners = new Set<() => void>();
  private readonly createdListeners = new Set<(conversationId: string) => void>();
  /** Conversations on view, counted (two views of one conversation follow it once). */
  private readonly followed = new Map<string, number>();
  /** Rooms the current connection is in: joining one twice would replay its run twice. */
  private joined = new Set<string>();
  /** Local ids of messages sent from a new chat and not yet given a conversation. */
  private readonly pendingNew = new Set<string>();
  /** Per conversation being joined: the runs its replay brought events of (the runs still going on). */
  private readonly replayedRuns = new Map<string, Set<string>>();
  private queryClient: QueryClient | null = null;
  private wired = false;
  private lastStatus: string;

  constructor(
    private readonly connection: ChatConnection,
    private readonly connectWaitMs = CONNECT_WAIT_MS,
  ) {
    this.lastStatus = connection.getState().status;
  }

  getState = (): ChatState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Starts listening (once) and connecting; the query client is where stored messages and the conversation list live. */
  attach(queryClient: QueryClient): void {
    this.queryClient = queryClient;
    if (!this.wired) {
      this.wired = true;
      for (const name of SERVER_EVENTS) this.connection.on(name, (payload) => this.receive({ name, payload } as ServerEvent));
      this.connection.subscribe(this.onConnectionChange);
      onSessionEnd(() => this.forget());
    }
    this.connection.start();
  }

  setViewer(viewer: Viewer | null): void {
    const current = this.state.viewer;
    if (current?.id === viewer?.id && current?.role === viewer?.role) return;
    this.dispatch({ type: 'viewer', viewer });
  }

  /** Follows a conversation while it is on view; the returned function stops. */
  follow(conversationId: string): () => void {
    this.followed.set(conversationId, (this.followed.get(conversationId) ?? 0) + 1);
    if (this.connection.getState().status === 'connected') void this.join(conversationId, false);
    return () => {
      const count = (this.followed.get(conversationId) ?? 1) - 1;
      if (count > 0) this.followed.set(conversationId, count);
      else this.followed.delete(conversationId);
    };
  }

  /** Told the id of the conversation a new chat's first message created. */
  onConversationCreated(listener: (conversationId: string) => void): () => void {
    this.createdListeners.add(listener);
    return () => {
      this.createdListeners.delete(listener);
    };
  }

  /** Sends a message (optimistically shown); resolves with the run it started or the server's refusal. */
  async send(key: string, input: SendInput): Promise<SendOutcome> {
    const item = localUserMessage(input.content, input.fileIds, Date.now());
    this.dispatch({ type: 'sent', key, item, afterStoredId: key === NEW_CHAT ? null : this.newestStoredId(key) });
    if (key === NEW_CHAT) this.pendingNew.add(item.id);
    const payload = {
      ...(key === NEW_CHAT ? {} : { conversationId: key }),
      content: input.content,
      ...(input.fileIds.length > 0 ? { fileIds: [...input.fileIds] } : {}),
      ...(input.model ? { model: input.model } : {}),
    };
    // Sent only once connected, after the rejoins of a new connection: a run's events then never mix into a replay.
    let ack: MessageSendAck = (await this.connectedAgain(false))
      ? await this.requestSend(payload)
      : { ok: false, code: 'NOT_CONNECTED', message: 'Not connected to the server. Check your connection and try again.' };
    // An access token that expired while the socket sat idle: the connection renews the session and reconnects; send once more.
    if (!ack.ok && ack.code === (ErrorCode.SessionExpired as string) && (await this.connectedAgain(true)))
      ack = await this.requestSend(payload);
    this.pendingNew.delete(item.id);
    if (!ack.ok) {
      this.dispatch({ type: 'refused', key, localId: item.id });
      return ack;
    }
    this.joined.add(ack.conversationId);
    const current =
      key === NEW_CHAT && conversationOf(this.state, NEW_CHAT).live.some((entry) => entry.item.id === item.id)
        ? NEW_CHAT
        : ack.conversationId;
    this.dispatch({ type: 'acknowledged', key: current, localId: item.id, runId: ack.runId });
    if (current === NEW_CHAT) this.moveNewChat(ack.conversationId);
    return ack;
  }

  /** Asks the server to stop a run; the run then ends as cancelled through the usual events. */
  async cancel(runId: string): Promise<void> {
    await this.connection.request('run:cancel', { runId }).catch(() => undefined);
  }

  /** Answers a confirmation; resolves with the server's refusal in words, or null when taken. */
  async confirm(confirmationId: string, decision: ConfirmationAnswer): Promise<string | null> {
    try {
      const ack = await this.connection.request('action:confirm', { id: confirmationId, decision });
      return ack.ok ? null : ack.message;
    } catch (error) {
      return error instanceof ChatSocketError ? error.message : 'Could not send your answer.';
    }
  }

  private async requestSend(payload: Parameters<ChatConnection['request']>[1] & { content: string }): Promise<MessageSendAck> {
    try {
      return await this.connection.request('message:send', payload);
    } catch (error) {
      const message = error instanceof ChatSocketError ? error.message : 'Could not send the message.';
      return { ok: false, code: error instanceof ChatSocketError ? error.code : ErrorCode.Internal, message };
    }
  }

  /**
   * Resolves true once connected (after a drop first, with `afterDrop`: the server disconnects a
   * socket it refused for its session a moment after answering), false when the session ended or
   * it took too long.
   */
  private connectedAgain(afterDrop: boolean): Promise<boolean> {
    return new Promise((resolve) => {
      const settle = (value: boolean) => {
        clearTimeout(timer);
        stop();
        resolve(value);
      };
      const check = () => {
        const { status } = this.connection.getState();
        if (status === 'session-ended') settle(false);
        // Connected again after the server dropped the refused socket.
        else if (status === 'connected' && sawDrop) settle(true);
        else if (status !== 'connected') sawDrop = true;
      };
      let sawDrop = !afterDrop || this.connection.getState().status !== 'connected';
      const timer = setTimeout(() => settle(false), this.connectWaitMs);
      const stop = this.connection.subscribe(check);
      check();
    });
  }

  private receive(event: ServerEvent): void {
    this.dispatch({ type: 'server', event, now: Date.now() });
    const runId = 'runId' in event.payload ? event.payload.runId : null;
    const conversationId = runId ? this.state.runs[runId] : undefined;
    if (runId && conversationId) this.replayedRuns.get(conversationId)?.add(runId);
    switch (event.name) {
      case 'conversation:created': {
        const { id } = event.payload.conversation;
        // The server put this socket in the new conversation's room.
        this.joined.add(id);
        if (this.pendingNew.size > 0) this.moveNewChat(id);
        this.invalidateConversations();
        return;
      }
      case 'message:completed':
        void this.queryClient?.invalidateQueries({ queryKey: messagesQueryOptions(event.payload.conversationId).queryKey });
        this.invalidateConversations();
        return;
      default:
        return;
    }
  }

  private moveNewChat(conversationId: string): void {
    if (!this.state.conversations[NEW_CHAT]) return;
    this.pendingNew.clear();
    this.dispatch({ type: 'moved', from: NEW_CHAT, to: conversationId });
    for (const listener of [...this.createdListeners]) listener(conversationId);
  }

  private async join(conversationId: string, rejoin: boolean): Promise<void> {
    if (this.joined.has(conversationId)) return;
    this.joined.add(conversationId);
    this.dispatch({ type: 'join-started', conversationId });
    const replayed = new Set<string>();
    this.replayedRuns.set(conversationId, replayed);
    let ok = false;
    try {
      ok = (await this.connection.request('conversation:join', { conversationId })).ok;
    } catch {
      ok = false;
    }
    this.replayedRuns.delete(conversationId);
    this.dispatch({ type: 'join-ended', conversationId });
    if (!ok) {
      // Not in the room: the next (re)connection tries again.
      this.joined.delete(conversationId);
      return;
    }
    const streaming = this.streamingRuns(conversationId);
    if (!rejoin && streaming.length === 0) return;
    // A run may have ended while this page was away: its stored answer is in the list now.
    const queryClient = this.queryClient;
    if (!queryClient) return;
    const options = messagesQueryOptions(conversationId);
    await queryClient.invalidateQueries({ queryKey: options.queryKey, refetchType: 'none' });
    const stored = await queryClient.fetchQuery(options).catch(() => null);
    if (!stored) return;
    const storedRuns = new Set(stored.flatMap((message) => (message.runId ? [message.runId] : [])));
    // A run the server neither replays nor stored: it ended where this page could not hear it (e.g. the server stopped).
    for (const runId of this.streamingRuns(conversationId)) {
      if (!replayed.has(runId) && !storedRuns.has(runId)) this.dispatch({ type: 'run-lost', runId });
    }
  }

  private streamingRuns(conversationId: string): string[] {
    return conversationOf(this.state, conversationId).live.flatMap(({ item }) =>
      item.role === 'assistant' && item.phase === 'streaming' && item.runId ? [item.runId] : [],
    );
  }

  private readonly onConnectionChange = (): void => {
    const { status } = this.connection.getState();
    const previous = this.lastStatus;
    this.lastStatus = status;
    if (status !== 'connected' || previous === 'connected') return;
    // A new connection is in no room: join again what is on view or still running; the server replays the runs.
    this.joined = new Set();
    const running = Object.entries(this.state.conversations)
      .filter(([key, conversation]) => key !== NEW_CHAT && conversation.live.some((entry) => entry.item.phase === 'streaming'))
      .map(([key]) => key);
    for (const conversationId of new Set([...this.followed.keys(), ...running])) void this.join(conversationId, true);
  };

  private newestStoredId(conversationId: string): string | null {
    const stored = this.queryClient?.getQueryData<ChatMessageView[]>(messagesQueryOptions(conversationId).queryKey);
    return stored?.at(-1)?.id ?? null;
  }

  private invalidateConversations(): void {
    // The lists only (titles, order by updatedAt): each conversation's messages are refetched on their own.
    void this.queryClient?.invalidateQueries({ queryKey: CONVERSATION_LISTS_KEY });
  }

  /** Signed out: nothing of that user stays in memory. */
  private forget(): void {
    this.joined = new Set();
    this.pendingNew.clear();
    this.dispatch({ type: 'reset' });
  }

  private dispatch(action: ChatAction): void {
    const next = chatReducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }
}

let shared: ChatSession | undefined;

/** The app's chat session, on the app's one chat connection. */
export function chatSession(): ChatSession {
  shared ??= new ChatSession(chatConnection());
  return shared;
}
