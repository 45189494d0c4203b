import type { ChatMessageView, ClientToServerEvents, ServerToClientEvents } from '@aegis/contracts';
import { QueryClient } from '@tanstack/react-query';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatConnection } from '../../../lib/chat-socket';
import { fakeApi, jsonResponse } from '../../../testing/fake-api';
import { ChatSession } from './chat-session';
import { NEW_CHAT } from './chat-state';
import { conversationOf } from './conversation-updates';
import { mergeMessages } from './merge-messages';

const CONVERSATION = '11111111-1111-4111-8111-111111111111';
const RUN = '22222222-2222-4222-8222-222222222222';

type LoggedEvent = {
  [Name in keyof ServerToClientEvents]: { name: Name; payload: Parameters<ServerToClientEvents[Name]>[0] };
}[keyof ServerToClientEvents];

/**
 * A stand-in for the API's `/chat` namespace on a loopback port: it starts one scripted run per
 * message, keeps the run's events, and replays them to a socket that joins, as the server does.
 */
async function startChatServer() {
  const http = createServer();
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http);
  const chat = io.of('/chat');
  const log: LoggedEvent[] = [];
  const control = { refuseNextSendWithSessionExpired: false, sends: 0, joins: 0 };
  const emit = (event: LoggedEvent) => {
    log.push(event);
    chat.to(`conversation:${CONVERSATION}`).emit(event.name, ...([event.payload] as Parameters<ServerToClientEvents[typeof event.name]>));
  };
  chat.on('connection', (socket) => {
    socket.on('message:send', (payload, ack) => {
      control.sends += 1;
      if (control.refuseNextSendWithSessionExpired) {
        control.refuseNextSendWithSessionExpired = false;
        ack?.({ ok: false, code: 'SESSION_EXPIRED', message: 'Your session has ended' });
        setImmediate(() => socket.disconnect(true));
        return;
      }
      void socket.join(`conversation:${CONVERSATION}`);
      if (!payload.conversationId) {
        emit({
          name: 'conversation:created',
          payload: { conversation: { id: CONVERSATION, title: payload.content, createdAt: '', updatedAt: '' } },
        });
      }
      ack?.({ ok: true, conversationId: CONVERSATION, runId: RUN });
    });
    socket.on('conversation:join', (payload, ack) => {
      control.joins += 1;
      for (const event of log) socket.emit(event.name, ...([event.payload] as Parameters<ServerToClientEvents[typeof event.name]>));
      void socket.join(`conversation:${payload.conversationId}`);
      ack?.({ ok: true, replayed: log.length });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/chat`;
  return {
    url,
    control,
    emit,
    /** The run ended without a word to this page, and nothing was stored (the server stopped). */
    forgetRuns: () => {
      log.length = 0;
    },
    dropConnections: () => {
      for (const socket of chat.sockets.values()) socket.conn.close();
    },
    stop: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}

function answer(content: string): ChatMessageView {
  return {
    id: '33333333-3333-4333-8333-333333333333',
    conversationId: CONVERSATION,
    role: 'assistant',
    content,
    fileIds: [],
    toolCalls: [],
    model: 'gpt-4.1-mini',
    provider: 'openai',
    inputTokens: 1,
    outputTokens: 2,
    costMicroDollars: 0,
    runId: RUN,
    status: 'completed',
    createdAt: '2026-11-29T10:00:00.000Z',
  };
}

describe('ChatSession', () => {
  let server: Awaited<ReturnType<typeof startChatServer>>;
  let connection: ChatConnection;
  let session: ChatSession;
  let queryClient: QueryClient;
  const checkSession = vi.fn(() => Promise.resolve('valid' as const));

  const connected = () => vi.waitFor(() => expect(connection.getState().status).toBe('connected'), { timeout: 3_000 });
  const text = (key = CONVERSATION) =>
    mergeMessages(undefined, conversationOf(session.getState(), key), {}).messages.map((message) => [message.role, message.content]);

  let storedMessages: ChatMessageView[] = [];

  beforeEach(async () => {
    storedMessages = [];
    fakeApi({ [`GET /api/conversations/${CONVERSATION}/messages`]: () => jsonResponse(200, { items: storedMessages }) });
    server = await startChatServer();
    connection = new ChatConnection({
      url: server.url,
      transports: ['websocket'],
      checkSession,
      onSessionEnded: vi.fn(),
      backoff: { minDelayMs: 30, maxDelayMs: 100, randomisation: 0.2 },
      ackTimeoutMs: 2_000,
    });
    session = new ChatSession(connection);
    queryClient = new QueryClient();
    session.attach(queryClient);
    await connected();
  });

  afterEach(async () => {
    connection.close();
    await server.stop();
  });

  it('moves a new chat to the conversation its message created, and tells the page where to go', async () => {
    const created = vi.fn();
    const stop = session.onConversationCreated(created);

    const outcome = await session.send(NEW_CHAT, { content: 'Hello', fileIds: [] });
    server.emit({ name: 'message:delta', payload: { conversationId: CONVERSATION, runId: RUN, text: 'Hi' } });

    expect(outcome).toEqual({ ok: true, conversationId: CONVERSATION, runId: RUN });
    expect(created).toHaveBeenCalledWith(CONVERSATION);
    await vi.waitFor(() =>
      expect(text()).toEqual([
        ['user', 'Hello'],
        ['assistant', 'Hi'],
      ]),
    );
    expect(text(NEW_CHAT)).toEqual([]);
    stop();
  });

  it('rejoins after the connection drops mid-run and shows the replayed run without doubled text', async () => {
    const stopFollowing = session.follow(CONVERSATION);
    await vi.waitFor(() => expect(server.control.joins).toBe(1));
    server.emit({
      name: 'model:selected',
      payload: { conversationId: CONVERSATION, runId: RUN, provider: 'openai', model: 'gpt-4.1-mini' },
    });
    server.emit({ name: 'message:delta', payload: { conversationId: CONVERSATION, runId: RUN, text: 'one ' } });
    await vi.waitFor(() => expect(text()).toEqual([['assistant', 'one ']]));

    const states: string[] = [];
    const stopWatching = connection.subscribe(() => states.push(connection.getState().status));
    server.dropConnections();
    // Said as the connection went: this page gets it live or from the rejoin's replay, and shows it once either way.
    server.emit({ name: 'message:delta', payload: { conversationId: CONVERSATION, runId: RUN, text: 'two ' } });
    await vi.waitFor(() => expect(server.control.joins).toBe(2), { timeout: 3_000 });
    expect(states).toContain('reconnecting');
    stopWatching();
    server.emit({ name: 'message:delta', payload: { conversationId: CONVERSATION, runId: RUN, text: 'three' } });

    await vi.waitFor(() => expect(text()).toEqual([['assistant', 'one two three']]));

    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    server.emit({ name: 'message:completed', payload: { conversationId: CONVERSATION, runId: RUN, message: answer('one two three') } });
    await vi.waitFor(() => expect(invalidate).toHaveBeenCalledWith({ queryKey: ['conversations', CONVERSATION, 'messages'] }));
    expect(mergeMessages(undefined, conversationOf(session.getState(), CONVERSATION), {}).messages).toMatchObject([
      { id: answer('').id, content: 'one two three', phase: 'completed' },
    ]);
    stopFollowing();
  });

  it('ends a run that a rejoin finds neither going on nor stored, so that no Stop button stays forever', async () => {
    const stopFollowing = session.follow(CONVERSATION);
    await vi.waitFor(() => expect(server.control.joins).toBe(1));
    server.emit({ name: 'message:delta', payload: { conversationId: CONVERSATION, runId: RUN, text: 'half' } });
    await vi.waitFor(() => expect(text()).toEqual([['assistant', 'half']]));

    server.forgetRuns();
    server.dropConnections();
    await vi.waitFor(() => expect(server.control.joins).toBe(2), { timeout: 3_000 });

    await vi.waitFor(() =>
      expect(mergeMessages(undefined, conversationOf(session.getState(), CONVERSATION), {}).messages).toMatchObject([
        { content: 'half', phase: 'failed', error: { code: 'RUN_LOST' } },
      ]),
    );
    expect(mergeMessages(undefined, conversationOf(session.getState(), CONVERSATION), {}).activeRun).toBeNull();
    stopFollowing();
  });

  it('sends once more after the server refused the message for an expired session and the connection renewed it', async () => {
    server.control.refuseNextSendWithSessionExpired = true;

    const outcome = await session.send(CONVERSATION, { content: 'Still there?', fileIds: [] });

    expect(outcome).toMatchObject({ ok: true, runId: RUN });
    expect(server.control.sends).toBe(2);
    expect(checkSession).toHaveBeenCalled();
    expect(text()).toEqual([['user', 'Still there?']]);
  });

  it('gives the message back when no connection comes in time, and drops the optimistic copy', async () => {
    await server.stop();
    connection.close();
    const unanswered = new ChatConnection({
      url: server.url,
      transports: ['websocket'],
      checkSession,
      onSessionEnded: vi.fn(),
      ackTimeoutMs: 100,
    });
    const offline = new ChatSession(unanswered, 200);
    offline.attach(queryClient);

    const outcome = await offline.send(CONVERSATION, { content: 'Anyone?', fileIds: [] });

    expect(outcome).toMatchObject({ ok: false, code: 'NOT_CONNECTED' });
    expect(mergeMessages(undefined, conversationOf(offline.getState(), CONVERSATION), {}).messages).toEqual([]);
    unanswered.close();
    server = await startChatServer();
  });
});
