import type {
  ConversationCreatedEvent,
  ConversationJoinAck,
  ConversationView,
  ChatMessageView,
  MessageCompletedEvent,
  MessageSendAck,
  ToolResultEvent,
} from '@aegis/contracts';
import { answer, type FakeLlmServer } from '@aegis/testing';
import { io } from 'socket.io-client';
import type { BrowserSession } from '../testing/http-session';
import { type ChatClient, CHAT_USER_PASSWORD as USER_PASSWORD, chatTestApp } from '../testing/chat-test-app';

// Conversations over socket.io (docs/web.md "Chat"): who may connect, a run from the first message to
// the stored answer, cancelling, replay for a late socket, and the per-user message limit. The other
// subjects are in chat-governance, chat-context and conversations.integration-spec.ts.

describe('chat over socket.io against PostgreSQL, the bubblewrap sandbox and the fake LLM server', () => {
  const chat = chatTestApp();
  const { post, get, connect, send, login, track } = chat;
  let fake: FakeLlmServer;
  let admin: BrowserSession;
  let operator: BrowserSession;
  let baseUrl: string;

  beforeAll(async () => {
    ({ fake, baseUrl, admin, operator } = await chat.start());
  });

  afterEach(() => fake.setDefault('openai', undefined));

  afterAll(async () => {
    await chat.close();
  });

  it('refuses a socket without a session', async () => {
    await expect(connect()).rejects.toThrow('UNAUTHENTICATED');
    await expect(connect({ access: 'not-a-token', refresh: '', csrf: '' })).rejects.toThrow('UNAUTHENTICATED');
  });

  it('accepts an API key in the handshake and refuses an unknown one', async () => {
    const created = (await post(operator, '/api/api-keys', { name: 'chat-bot' }).expect(201)).body as { key: string };
    const withKey = (key: string) =>
      new Promise<ChatClient>((resolve, reject) => {
        const socket: ChatClient = io(`${baseUrl}/chat`, {
          transports: ['websocket'],
          reconnection: false,
          extraHeaders: { Authorization: `Bearer ${key}` },
        });
        track(socket);
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    const socket = await withKey(created.key);
    expect(socket.connected).toBe(true);
    await expect(withKey('aegis_not-a-real-key')).rejects.toThrow('UNAUTHENTICATED');
  });

  it('creates the conversation, streams, runs a tool through governance, stores it all, and keeps the second message in the same conversation', async () => {
    const { socket, recorder } = await connect(operator);
    fake.enqueue(
      'openai',
      answer({
        text: ['Let me ', 'look.'],
        toolCalls: [{ id: 'call_1', name: 'list_directory', arguments: { path: '.' } }],
        usage: { inputTokens: 50, outputTokens: 10 },
      }),
      answer({ text: ['There is ', 'hello.txt.'], usage: { inputTokens: 80, outputTokens: 5 } }),
    );
    const created = recorder.next<ConversationCreatedEvent>('conversation:created');
    const completed = recorder.next<MessageCompletedEvent>('message:completed');
    const ack = await send(socket, { content: 'What is in the workspace?' });
    expect(ack).toMatchObject({ ok: true, conversationId: expect.any(String) as unknown, runId: expect.any(String) as unknown });
    if (!ack.ok) throw new Error('not started');
    expect((await created).conversation.id).toBe(ack.conversationId);
    const { message } = await completed;

    const names = recorder.names();
    expect(names[0]).toBe('conversation:created');
    expect(names).toEqual([
      'conversation:created',
      'model:selected',
      'message:delta',
      'message:delta',
      'tool:call',
      'tool:result',
      'message:delta',
      'message:delta',
      'message:completed',
    ]);
    const result = recorder.events.find((event) => event.name === 'tool:result')?.payload as ToolResultEvent;
    expect(result.call).toMatchObject({
      toolCallId: 'call_1',
      tool: 'list_directory',
      status: 'completed',
      actionId: expect.any(String) as unknown,
    });
    expect(JSON.stringify(result.call.output)).toContain('hello.txt');
    expect(message).toMatchObject({
      role: 'assistant',
      content: 'Let me look.\n\nThere is hello.txt.',
      conversationId: ack.conversationId,
      runId: ack.runId,
      status: 'completed',
      inputTokens: 130,
      outputTokens: 15,
      provider: 'openai',
    });
    expect(message.toolCalls).toHaveLength(1);

    // The model saw the tools an operator may call, and the observation of its call.
    const [first, second] = fake
      .requestsFor('openai')
      .slice(-2)
      .map((entry) => entry.body as { tools?: { function: { name: string } }[]; messages: { role: string; content: unknown }[] });
    const toolNames = (first.tools ?? []).map((tool) => tool.function.name);
    expect(toolNames).toContain('list_directory');
    expect(toolNames).not.toContain('apt_install');
    expect(second.messages.some((entry) => entry.role === 'tool' && JSON.stringify(entry.content).includes('hello.txt'))).toBe(true);

    // The action was audited with the run id.
    const audit = (await get(admin, `/api/audit?action=tool.list_directory`).expect(200)).body as { items: { runId: string | null }[] };
    expect(audit.items[0]?.runId).toBe(ack.runId);

    recorder.clear();
    fake.enqueue('openai', answer({ text: ['Still ', 'here.'] }));
    const again = recorder.next<MessageCompletedEvent>('message:completed');
    const secondAck = await send(socket, { conversationId: ack.conversationId, content: 'And now?' });
    expect(secondAck).toMatchObject({ ok: true, conversationId: ack.conversationId });
    await again;
    expect(recorder.names()).not.toContain('conversation:created');
    // The second request carried the history of the first turn.
    const history = (fake.requestsFor('openai').at(-1)?.body as { messages: { role: string }[] }).messages.map((entry) => entry.role);
    expect(history).toEqual(['system', 'user', 'assistant', 'user']);

    const messages = (await get(operator, `/api/conversations/${ack.conversationId}/messages`).expect(200)).body as {
      items: ChatMessageView[];
    };
    expect(messages.items.map((item) => [item.role, item.content])).toEqual([
      ['user', 'What is in the workspace?'],
      ['assistant', 'Let me look.\n\nThere is hello.txt.'],
      ['user', 'And now?'],
      ['assistant', 'Still here.'],
    ]);
    const list = (await get(operator, '/api/conversations').expect(200)).body as { items: ConversationView[]; nextCursor: string | null };
    expect(list.items.map((item) => item.id)).toContain(ack.conversationId);
    expect(list.nextCursor).toBeNull();
  });

  it('cancels a run while the model streams; a reconnecting client gets what it missed', async () => {
    const { socket, recorder } = await connect(operator);
    fake.enqueue('openai', answer({ text: ['one ', 'two ', 'three ', 'four ', 'five ', 'six '], chunkDelayMs: 400 }));
    const firstDelta = recorder.next('message:delta');
    const completed = recorder.next<MessageCompletedEvent>('message:completed');
    const ack = await send(socket, { content: 'Count slowly.' });
    if (!ack.ok) throw new Error('not started');
    await firstDelta;

    const late = await connect(operator);
    const replayed = await new Promise<ConversationJoinAck>((resolve) =>
      late.socket.emit('conversation:join', { conversationId: ack.conversationId }, resolve),
    );
    expect(replayed.ok).toBe(true);
    expect(late.recorder.names().slice(0, 3)).toEqual(['conversation:created', 'model:selected', 'message:delta']);

    const startedAt = Date.now();
    socket.emit('run:cancel', { runId: ack.runId });
    const { message } = await completed;
    expect(Date.now() - startedAt).toBeLessThan(1_500);
    expect(message.status).toBe('cancelled');
    expect(message.content.length).toBeLessThan('one two three four five six '.length);
  });

  it('cancels a run while a sandboxed command runs: the command stops and the model is not asked again', async () => {
    const { socket, recorder } = await connect(operator);
    fake.enqueue(
      'openai',
      answer({ toolCalls: [{ id: 'call_slow', name: 'execute_command', arguments: { command: 'tail -f hello.txt' } }] }),
    );
    const toolCall = recorder.next('tool:call');
    const completed = recorder.next<MessageCompletedEvent>('message:completed');
    const ack = await send(socket, { content: 'Follow the file.' });
    if (!ack.ok) throw new Error('not started');
    await toolCall;
    const requestsBefore = fake.requestsFor('openai').length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const startedAt = Date.now();
    socket.emit('run:cancel', { runId: ack.runId });
    const { message } = await completed;
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(message.status).toBe('cancelled');
    expect(recorder.names()).not.toContain('tool:result');
    expect(fake.requestsFor('openai')).toHaveLength(requestsBefore);
  });

  it('limits messages per user (RATE_LIMIT_CHAT)', async () => {
    await post(admin, '/api/users', { username: 'rita', password: USER_PASSWORD, role: 'operator' }).expect(201);
    const { socket } = await connect(await login('rita', USER_PASSWORD));
    const acks: MessageSendAck[] = [];
    for (let index = 0; index < 11; index += 1) acks.push(await send(socket, { content: '' }));
    expect(acks.slice(0, 10).every((ack) => !ack.ok && ack.code === 'VALIDATION_FAILED')).toBe(true);
    expect(acks[10]).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  });
});
