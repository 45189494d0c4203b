import type { ChatMessageView, ClientToServerEvents, ServerToClientEvents } from '@aegis/contracts';
import { QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRouteWithContext, createRoute, createRouter, Outlet, RouterProvider } from '@tanstack/react-router';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as ChatSocketModule from '../../../lib/chat-socket';
import type { ChatConnectionState } from '../../../lib/chat-socket';
import { fakeApi, jsonResponse } from '../../../testing/fake-api';
import { createTestQueryClient } from '../../../testing/render';
import { ChatThread } from './chat-thread';

type ServerName = keyof ServerToClientEvents;
type ClientName = keyof ClientToServerEvents;

/** A small stand-in for the one chat connection: the test plays the server's part. */
const fake = vi.hoisted(() => {
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<() => void>();
  let state: { status: string } = { status: 'connected' };
  const answers = new Map<string, (payload: unknown) => unknown>();
  const sent: { name: string; payload: unknown }[] = [];
  return {
    sent,
    answers,
    connection: {
      getState: () => state,
      subscribe: (listener: () => void) => {
        stateListeners.add(listener);
        return () => stateListeners.delete(listener);
      },
      start: () => undefined,
      on: (name: string, handler: (payload: unknown) => void) => {
        const set = handlers.get(name) ?? new Set();
        set.add(handler);
        handlers.set(name, set);
        return () => set.delete(handler);
      },
      request: (name: string, payload: unknown) => {
        sent.push({ name, payload });
        const answer = answers.get(name);
        return Promise.resolve(answer ? answer(payload) : { ok: true, replayed: 0 });
      },
    },
    emit: (name: string, payload: unknown) => {
      for (const handler of [...(handlers.get(name) ?? [])]) handler(payload);
    },
    setState: (next: { status: string }) => {
      state = next;
      for (const listener of [...stateListeners]) listener();
    },
  };
});

vi.mock('../../../lib/chat-socket', async (importOriginal) => ({
  ...(await importOriginal<typeof ChatSocketModule>()),
  chatConnection: () => fake.connection,
}));

const user = { id: '6a0d3c52-8f0e-4f5e-9d1a-0a4f3b2c1d00', username: 'ada', role: 'operator' as const };

function renderThreadAt(path: string) {
  const rootRoute = createRootRouteWithContext<{ user: typeof user }>()({ component: () => <Outlet /> });
  const newChat = createRoute({ getParentRoute: () => rootRoute, path: '/', component: () => <ChatThread conversationId={null} /> });
  const conversation = createRoute({
    getParentRoute: () => rootRoute,
    path: '/c/$conversationId',
    component: function Conversation() {
      const { conversationId } = conversation.useParams();
      return <ChatThread conversationId={conversationId} />;
    },
  });
  const router = createRouter({
    routeTree: rootRoute.addChildren([newChat, conversation]),
    history: createMemoryHistory({ initialEntries: [path] }),
    context: { user },
  });
  render(
    <QueryClientProvider client={createTestQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

function emit<Name extends ServerName>(name: Name, payload: Parameters<ServerToClientEvents[Name]>[0]) {
  act(() => fake.emit(name, payload));
}

function answerTo<Name extends ClientName>(name: Name, answer: (payload: Parameters<ClientToServerEvents[Name]>[0]) => unknown) {
  fake.answers.set(name, answer as (payload: unknown) => unknown);
}

function stored(overrides: Partial<ChatMessageView>): ChatMessageView {
  return {
    id: crypto.randomUUID(),
    conversationId: '',
    role: 'assistant',
    content: '',
    fileIds: [],
    toolCalls: [],
    model: 'gpt-4.1-mini',
    provider: 'openai',
    inputTokens: 3,
    outputTokens: 4,
    costMicroDollars: 10,
    runId: null,
    status: 'completed',
    createdAt: '2026-11-29T10:00:00.000Z',
    ...overrides,
  };
}

describe('ChatThread', () => {
  beforeEach(() => {
    vi.stubGlobal('scrollTo', () => undefined);
    fake.answers.clear();
    fake.sent.length = 0;
    fake.setState({ status: 'connected' });
  });

  it('starts a new chat, moves to its conversation, streams the answer and says when it is complete', async () => {
    const conversationId = crypto.randomUUID();
    const runId = crypto.randomUUID();
    let messages: ChatMessageView[] = [];
    fakeApi({
      [`GET /api/conversations/${conversationId}/messages`]: () => jsonResponse(200, { items: messages }),
      'GET /api/tools': () => jsonResponse(200, { items: [] }),
      'GET /api/providers': () => jsonResponse(200, { items: [] }),
    });
    answerTo('message:send', (payload) => {
      fake.emit('conversation:created', { conversation: { id: conversationId, title: payload.content, createdAt: '', updatedAt: '' } });
      return { ok: true, conversationId, runId };
    });
    const router = renderThreadAt('/');

    expect(await screen.findByText('What shall we work on?')).toBeTruthy();
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'Say hello' } });
    fireEvent.keyDown(box, { key: 'Enter' });

    await waitFor(() => expect(router.state.location.pathname).toBe(`/c/${conversationId}`));
    expect(fake.sent.find((request) => request.name === 'message:send')?.payload).toEqual({ content: 'Say hello' });
    expect(await screen.findByText('Say hello')).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Stop' })).toBeTruthy();
    // The socket is already in the new conversation's room: no join, which would replay the run.
    expect(fake.sent.some((request) => request.name === 'conversation:join')).toBe(false);

    emit('model:selected', { conversationId, runId, provider: 'openai', model: 'gpt-4.1-mini' });
    emit('message:delta', { conversationId, runId, text: 'Hello ' });
    emit('message:delta', { conversationId, runId, text: 'there.' });
    expect(await screen.findByText('Hello there.')).toBeTruthy();

    messages = [
      stored({ conversationId, role: 'user', content: 'Say hello', status: null }),
      stored({ conversationId, content: 'Hello there.', runId }),
    ];
    emit('message:completed', { conversationId, runId, message: messages[1] });

    expect(await screen.findByText('The answer is complete.')).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Send' })).toBeTruthy();
    await waitFor(() => expect(screen.getAllByText('Say hello')).toHaveLength(1));
    expect(screen.getAllByText('Hello there.')).toHaveLength(1);
  });

  it('follows an existing conversation, and says so when the connection drops', async () => {
    const conversationId = crypto.randomUUID();
    fakeApi({
      [`GET /api/conversations/${conversationId}/messages`]: () =>
        jsonResponse(200, {
          items: [
            stored({ conversationId, role: 'user', content: 'Earlier question', status: null }),
            stored({ conversationId, content: 'Earlier answer' }),
          ],
        }),
      'GET /api/tools': () => jsonResponse(200, { items: [] }),
      'GET /api/providers': () => jsonResponse(200, { items: [] }),
    });
    renderThreadAt(`/c/${conversationId}`);

    expect(await screen.findByText('Earlier answer')).toBeTruthy();
    expect(fake.sent).toContainEqual({ name: 'conversation:join', payload: { conversationId } });
    const banner = document.querySelector('[data-connection]');
    expect(banner?.textContent).toBe('');

    act(() => fake.setState({ status: 'reconnecting', attempt: 2, nextDelayMs: 4_000 } as ChatConnectionState));
    expect(banner?.textContent).toBe('Reconnecting… The connection to the server dropped; try 2 in 4 s.');
    act(() => fake.setState({ status: 'connected' }));
    expect(banner?.textContent).toBe('');
    // A new connection joins the conversation on view again.
    expect(fake.sent.filter((request) => request.name === 'conversation:join')).toHaveLength(2);
  });
});
