import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminBootstrapService } from '@aegis/auth';
import type {
  ApprovalDecidedEvent,
  ApprovalRequiredEvent,
  ChatMessageView,
  ClientToServerEvents,
  ConversationCreatedEvent,
  ConversationJoinAck,
  ConversationView,
  MessageCompletedEvent,
  MessageSendAck,
  RunErrorEvent,
  ServerToClientEvents,
  ToolResultEvent,
} from '@aegis/contracts';
import { MEMORY_EMBEDDING_DIMENSIONS } from '@aegis/database';
import { answer, createTestDatabase, embeddings, type FakeLlmServer, startFakeLlmServer, testConfig } from '@aegis/testing';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../app/app.module';
import { configureApp } from '../app/configure-app';
import { type BrowserSession, cookieHeader, sessionOf } from '../testing/http-session';
import { SocketRecorder } from '../testing/socket-recorder';
import { ChatModule } from './chat.module';

type ChatClient = Socket<ServerToClientEvents, ClientToServerEvents>;

const ADMIN_PASSWORD = 'admin-password-for-tests';
const USER_PASSWORD = 'correct horse battery staple';
const JUSTIFICATION = 'the operator asked to record this run for the audit';

describe('chat over socket.io against PostgreSQL, the bubblewrap sandbox and the fake LLM server', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-chat-'));
  chmodSync(workspace, 0o777);
  writeFileSync(join(workspace, 'hello.txt'), 'hello\n');
  // Run by python3 (CRITICAL, so only after approval): appends its arguments, so runs can be counted.
  writeFileSync(join(workspace, 'record.py'), "import sys\nwith open('runs.txt', 'a') as f:\n    f.write(' '.join(sys.argv[1:]) + '\\n')\n");
  const runs = () => (existsSync(join(workspace, 'runs.txt')) ? readFileSync(join(workspace, 'runs.txt'), 'utf8').split('\n').filter(Boolean) : []);

  let fake: FakeLlmServer;
  let app: NestExpressApplication;
  let baseUrl: string;
  let admin: BrowserSession;
  let operator: BrowserSession;
  let other: BrowserSession;
  const sockets: ChatClient[] = [];
  const http = () => request(app.getHttpServer());
  const post = (session: BrowserSession, path: string, body: object = {}) =>
    http().post(path).set('Cookie', cookieHeader(session)).set('X-CSRF-Token', session.csrf).send(body);
  const get = (session: BrowserSession, path: string) => http().get(path).set('Cookie', cookieHeader(session));

  async function login(username: string, password: string): Promise<BrowserSession> {
    return sessionOf(await http().post('/api/auth/login').send({ username, password }).expect(200));
  }

  async function connect(session?: BrowserSession): Promise<{ socket: ChatClient; recorder: SocketRecorder }> {
    const socket: ChatClient = io(`${baseUrl}/chat`, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: session ? { Cookie: cookieHeader(session) } : {},
    });
    sockets.push(socket);
    const recorder = new SocketRecorder(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return { socket, recorder };
  }

  const send = (socket: ChatClient, payload: Parameters<ClientToServerEvents['message:send']>[0]) =>
    new Promise<MessageSendAck>((resolve) => socket.emit('message:send', payload, resolve));

  beforeAll(async () => {
    fake = await startFakeLlmServer();
    const config = testConfig({
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD,
      RATE_LIMIT_LOGIN_IP: '100/60',
      RATE_LIMIT_CHAT: '10/60',
      WORKSPACE_DIR: workspace,
      PROVIDER_ORDER: 'openai',
      OPENAI_API_KEY: 'sk-test-chat-0123456789',
      OPENAI_BASE_URL: fake.baseUrl('openai'),
    });
    @Module({ imports: [AppModule.forRoot(config, { url: await createTestDatabase(), embedded: false }), ChatModule] })
    class TestRoot {}
    app = await NestFactory.create<NestExpressApplication>(TestRoot, { bodyParser: false, logger: false });
    configureApp(app, config);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
    await app.get(AdminBootstrapService).ensureAdmin();
    admin = await login('root', ADMIN_PASSWORD);
    for (const [username, role] of [
      ['opal', 'operator'],
      ['otto', 'operator'],
    ]) {
      await post(admin, '/api/users', { username, password: USER_PASSWORD, role }).expect(201);
    }
    operator = await login('opal', USER_PASSWORD);
    other = await login('otto', USER_PASSWORD);
  });

  afterEach(() => fake.setDefault('openai', undefined));

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await app?.close();
    await fake?.close();
  });

  it('refuses a socket without a session', async () => {
    await expect(connect()).rejects.toThrow('UNAUTHENTICATED');
    await expect(connect({ access: 'not-a-token', refresh: '', csrf: '' })).rejects.toThrow('UNAUTHENTICATED');
  });

  it('accepts an API key in the handshake and refuses an unknown one', async () => {
    const created = (await post(operator, '/api/api-keys', { name: 'chat-bot' }).expect(201)).body as { key: string };
    const withKey = (key: string) =>
      new Promise<ChatClient>((resolve, reject) => {
        const socket: ChatClient = io(`${baseUrl}/chat`, { transports: ['websocket'], reconnection: false, extraHeaders: { Authorization: `Bearer ${key}` } });
        sockets.push(socket);
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
      answer({ text: ['Let me ', 'look.'], toolCalls: [{ id: 'call_1', name: 'list_directory', arguments: { path: '.' } }], usage: { inputTokens: 50, outputTokens: 10 } }),
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
    expect(names).toEqual(['conversation:created', 'model:selected', 'message:delta', 'message:delta', 'tool:call', 'tool:result', 'message:delta', 'message:delta', 'message:completed']);
    const result = recorder.events.find((event) => event.name === 'tool:result')?.payload as ToolResultEvent;
    expect(result.call).toMatchObject({ toolCallId: 'call_1', tool: 'list_directory', status: 'completed', actionId: expect.any(String) as unknown });
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
    const [first, second] = fake.requestsFor('openai').slice(-2).map((entry) => entry.body as { tools?: { function: { name: string } }[]; messages: { role: string; content: unknown }[] });
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

    const messages = (await get(operator, `/api/conversations/${ack.conversationId}/messages`).expect(200)).body as { items: ChatMessageView[] };
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

  it('waits for approval of a CRITICAL call, resumes after an admin approves, and ends cleanly after a rejection', async () => {
    const { socket, recorder } = await connect(operator);
    const call = (id: string, label: string) => ({ id, name: 'execute_command', arguments: { command: `python3 record.py ${label}`, justification: JUSTIFICATION } });
    fake.enqueue('openai', answer({ toolCalls: [call('call_a', 'approved-run')] }), answer({ text: ['Recorded.'] }));
    const required = recorder.next<ApprovalRequiredEvent>('approval:required');
    const completed = recorder.next<MessageCompletedEvent>('message:completed');
    const ack = await send(socket, { content: 'Record a run, please.' });
    if (!ack.ok) throw new Error('not started');
    const approval = await required;
    expect(approval).toMatchObject({ tool: 'execute_command', actionClass: 'CRITICAL', runId: ack.runId });
    expect(runs()).toEqual([]);
    await post(admin, `/api/approvals/${approval.approvalId}/approve`, { comment: 'looks fine' }).expect(200);
    const { message } = await completed;
    expect(runs()).toEqual(['approved-run']);
    expect(recorder.names()).toContain('approval:decided');
    expect(message).toMatchObject({ status: 'completed', content: 'Recorded.' });
    expect(message.toolCalls[0]).toMatchObject({ status: 'completed', approvalId: approval.approvalId, actionId: expect.any(String) as unknown });

    recorder.clear();
    fake.enqueue('openai', answer({ toolCalls: [call('call_b', 'rejected-run')] }), answer({ text: ['It was rejected.'] }));
    const requiredAgain = recorder.next<ApprovalRequiredEvent>('approval:required');
    const completedAgain = recorder.next<MessageCompletedEvent>('message:completed');
    await send(socket, { conversationId: ack.conversationId, content: 'Once more.' });
    const second = await requiredAgain;
    await post(admin, `/api/approvals/${second.approvalId}/reject`, { reason: 'not today' }).expect(200);
    const rejected = (await completedAgain).message;
    expect(rejected).toMatchObject({ status: 'completed', content: 'It was rejected.' });
    expect(rejected.toolCalls[0]).toMatchObject({ status: 'rejected', approvalId: second.approvalId });
    expect(runs()).toEqual(['approved-run']);
    expect(JSON.stringify(fake.requestsFor('openai').at(-1)?.body)).toContain('not today');
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
    const replayed = await new Promise<ConversationJoinAck>((resolve) => late.socket.emit('conversation:join', { conversationId: ack.conversationId }, resolve));
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
    fake.enqueue('openai', answer({ toolCalls: [{ id: 'call_slow', name: 'execute_command', arguments: { command: 'tail -f hello.txt' } }] }));
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

  it('keeps conversations to their owner: 404 for anyone else, 400 for a bad id, and no socket run in them', async () => {
    const created = (await post(operator, '/api/conversations', { title: 'Mine' }).expect(201)).body as ConversationView;
    await get(other, `/api/conversations/${created.id}/messages`).expect(404);
    await http().delete(`/api/conversations/${created.id}`).set('Cookie', cookieHeader(other)).set('X-CSRF-Token', other.csrf).expect(404);
    await get(operator, '/api/conversations/not-a-uuid/messages').expect(400);
    const othersList = (await get(other, '/api/conversations').expect(200)).body as { items: ConversationView[] };
    expect(othersList.items.map((item) => item.id)).not.toContain(created.id);

    const { socket, recorder } = await connect(other);
    const error = recorder.next<RunErrorEvent>('run:error');
    const ack = await send(socket, { conversationId: created.id, content: 'let me in' });
    expect(ack).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect((await error).code).toBe('NOT_FOUND');

    await http().delete(`/api/conversations/${created.id}`).set('Cookie', cookieHeader(operator)).set('X-CSRF-Token', operator.csrf).expect(204);
    await get(operator, `/api/conversations/${created.id}/messages`).expect(404);
  });

  it("sends an uploaded PNG to the model as an image part, and refuses another user's file", async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64');
    const uploaded = await http()
      .post('/api/uploads')
      .set('Cookie', cookieHeader(operator))
      .set('X-CSRF-Token', operator.csrf)
      .attach('file', png, { filename: 'pixel.png', contentType: 'image/png' })
      .expect(201);
    const fileId = (uploaded.body as { id: string }).id;
    const { socket, recorder } = await connect(operator);
    fake.enqueue('openai', answer({ text: ['A single pixel.'] }));
    const completed = recorder.next<MessageCompletedEvent>('message:completed');
    const ack = await send(socket, { content: 'What is this?', fileIds: [fileId] });
    expect(ack.ok).toBe(true);
    await completed;
    const sent = JSON.stringify(fake.requestsFor('openai').at(-1)?.body);
    expect(sent).toContain('image_url');
    expect(sent).toContain(png.toString('base64'));
    if (!ack.ok) throw new Error('not started');
    const stored = (await get(operator, `/api/conversations/${ack.conversationId}/messages`).expect(200)).body as { items: ChatMessageView[] };
    expect(stored.items[0].fileIds).toEqual([fileId]);

    const intruder = await connect(other);
    const before = (await get(other, '/api/conversations').expect(200)).body as { items: ConversationView[] };
    expect(await send(intruder.socket, { content: 'Describe it', fileIds: [fileId] })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const after = (await get(other, '/api/conversations').expect(200)).body as { items: ConversationView[] };
    expect(after.items).toHaveLength(before.items.length);
  });

  it('pages conversations with a cursor', async () => {
    for (let index = 0; index < 22; index += 1) await post(other, '/api/conversations', { title: `page ${index}` }).expect(201);
    const first = (await get(other, '/api/conversations').expect(200)).body as { items: ConversationView[]; nextCursor: string | null };
    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await get(other, `/api/conversations?cursor=${first.nextCursor ?? ''}`).expect(200)).body as { items: ConversationView[]; nextCursor: string | null };
    expect(second.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items].map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(22);
    await get(other, '/api/conversations?cursor=bogus').expect(400);
  });

  it('renames a conversation for its owner only, without moving it in the list', async () => {
    const patch = (session: BrowserSession, path: string, body: object) =>
      http().patch(path).set('Cookie', cookieHeader(session)).set('X-CSRF-Token', session.csrf).send(body);
    const older = (await post(operator, '/api/conversations', { title: 'Older' }).expect(201)).body as ConversationView;
    const newer = (await post(operator, '/api/conversations', { title: 'Newer' }).expect(201)).body as ConversationView;
    const renamed = (await patch(operator, `/api/conversations/${older.id}`, { title: '  Release checklist  ' }).expect(200)).body as ConversationView;
    expect(renamed).toMatchObject({ id: older.id, title: 'Release checklist', updatedAt: older.updatedAt });
    const list = (await get(operator, '/api/conversations').expect(200)).body as { items: ConversationView[] };
    expect(list.items.findIndex((item) => item.id === newer.id)).toBeLessThan(list.items.findIndex((item) => item.id === older.id));
    await patch(other, `/api/conversations/${older.id}`, { title: 'Stolen' }).expect(404);
    await patch(operator, '/api/conversations/not-a-uuid', { title: 'x' }).expect(400);
    for (const title of ['   ', 'x'.repeat(201), 42]) await patch(operator, `/api/conversations/${older.id}`, { title }).expect(400);
    await patch(operator, `/api/conversations/${older.id}`, {}).expect(400);
  });

  it('searches conversation titles case-insensitively, wildcards taken literally, owner only, with paging', async () => {
    const search = (session: BrowserSession, q: string, cursor?: string) =>
      get(session, `/api/conversations?q=${encodeURIComponent(q)}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
    for (const title of ['Quarterly REPORT', 'report 100% done', 'report_final', 'Unrelated']) await post(operator, '/api/conversations', { title }).expect(201);
    const titles = async (session: BrowserSession, q: string) => ((await search(session, q)).body as { items: ConversationView[] }).items.map((item) => item.title);
    expect((await titles(operator, 'report')).sort()).toEqual(['Quarterly REPORT', 'report 100% done', 'report_final']);
    expect(await titles(operator, '100%')).toEqual(['report 100% done']);
    expect(await titles(operator, 't_f')).toEqual(['report_final']);
    expect(await titles(operator, '%')).toEqual(['report 100% done']);
    expect(await titles(other, 'report')).toEqual([]);
    for (let index = 0; index < 21; index += 1) await post(other, '/api/conversations', { title: `needle ${index}` }).expect(201);
    const first = (await search(other, 'NEEDLE')).body as { items: ConversationView[]; nextCursor: string | null };
    expect(first.items).toHaveLength(20);
    const second = (await search(other, 'NEEDLE', first.nextCursor ?? '')).body as { items: ConversationView[]; nextCursor: string | null };
    expect(second).toMatchObject({ nextCursor: null, items: [expect.objectContaining({ title: 'needle 0' })] });
    await get(operator, `/api/conversations?q=${'x'.repeat(201)}`).expect(400);
  });

  it('saves a memory in one conversation and finds it from a later one, for its owner only', async () => {
    const dataSource = app.get(DataSource);
    const vectors = (await dataSource.query<unknown[]>(`SELECT 1 FROM information_schema.columns WHERE table_name = 'memory_items' AND column_name = 'embedding'`)).length > 0;
    const embedding = () => (vectors ? [embeddings({ dimensions: MEMORY_EMBEDDING_DIMENSIONS })] : []);
    const { socket, recorder } = await connect(operator);
    fake.enqueue(
      'openai',
      answer({ toolCalls: [{ id: 'call_save', name: 'memory_save', arguments: { content: 'The staging database is called quokka-staging.' } }] }),
      ...embedding(),
      answer({ text: ['Noted.'] }),
    );
    let completed = recorder.next<MessageCompletedEvent>('message:completed');
    await send(socket, { content: 'Remember: staging db is quokka-staging.' });
    expect((await completed).message.toolCalls[0]).toMatchObject({ tool: 'memory_save', status: 'completed' });

    fake.enqueue(
      'openai',
      answer({ toolCalls: [{ id: 'call_search', name: 'memory_search', arguments: { query: 'staging database' } }] }),
      ...embedding(),
      answer({ text: ['It is quokka-staging.'] }),
    );
    completed = recorder.next<MessageCompletedEvent>('message:completed');
    await send(socket, { content: 'What is the staging database called?' });
    const found = (await completed).message.toolCalls[0];
    expect(found).toMatchObject({ tool: 'memory_search', status: 'completed' });
    expect(JSON.stringify(found.output)).toContain('quokka-staging');
    // Memory tools run inside the agent, and are audited with the run id like every tool call.
    const audited = await dataSource.query<{ action: string; run_id: string | null; action_class: string }[]>(
      `SELECT action, run_id, action_class FROM audit_entries WHERE action IN ('tool.memory_save', 'tool.memory_search') ORDER BY id`,
    );
    expect(audited.map((row) => [row.action, row.action_class])).toEqual([
      ['tool.memory_save', 'SAFE'],
      ['tool.memory_search', 'READ'],
    ]);
    expect(audited.every((row) => typeof row.run_id === 'string')).toBe(true);

    const intruder = await connect(other);
    fake.enqueue('openai', answer({ toolCalls: [{ id: 'call_peek', name: 'memory_search', arguments: { query: 'staging database' } }] }), ...embedding(), answer({ text: ['Nothing.'] }));
    const peeked = intruder.recorder.next<MessageCompletedEvent>('message:completed');
    await send(intruder.socket, { content: 'What is the staging database called?' });
    expect(JSON.stringify((await peeked).message.toolCalls[0].output)).not.toContain('quokka');
  });

  it('limits messages per user (RATE_LIMIT_CHAT)', async () => {
    await post(admin, '/api/users', { username: 'rita', password: USER_PASSWORD, role: 'operator' }).expect(201);
    const { socket } = await connect(await login('rita', USER_PASSWORD));
    const acks: MessageSendAck[] = [];
    for (let index = 0; index < 11; index += 1) acks.push(await send(socket, { content: '' }));
    expect(acks.slice(0, 10).every((ack) => !ack.ok && ack.code === 'VALIDATION_FAILED')).toBe(true);
    expect(acks[10]).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  });

  it('gives every tool call the class governance decided, and links an approval to the tool call that asked', async () => {
    const { socket, recorder } = await connect(other);
    fake.enqueue(
      'openai',
      answer({
        toolCalls: [
          { id: 'call_read', name: 'read_file', arguments: { path: 'hello.txt' } },
          // sort is READ; writing over an existing file raises it to SENSITIVE, which an operator may not do.
          { id: 'call_raised', name: 'execute_command', arguments: { command: 'sort -o hello.txt hello.txt', justification: JUSTIFICATION } },
          { id: 'call_unknown', name: 'no_such_tool', arguments: {} },
          { id: 'call_critical', name: 'execute_command', arguments: { command: 'python3 record.py linked-run', justification: JUSTIFICATION } },
        ],
      }),
      answer({ text: ['Done.'] }),
    );
    const required = recorder.next<ApprovalRequiredEvent>('approval:required');
    const decided = recorder.next<ApprovalDecidedEvent>('approval:decided');
    const completed = recorder.next<MessageCompletedEvent>('message:completed');
    const ack = await send(socket, { content: 'Read, sort, guess and record.' });
    if (!ack.ok) throw new Error('not started');
    const approval = await required;
    expect(approval).toMatchObject({ toolCallId: 'call_critical', actionClass: 'CRITICAL', runId: ack.runId });
    await post(admin, `/api/approvals/${approval.approvalId}/reject`, { reason: 'not now' }).expect(200);
    expect(await decided).toMatchObject({ approvalId: approval.approvalId, status: 'rejected', toolCallId: 'call_critical' });
    const { message } = await completed;

    const results = recorder.events.filter((event) => event.name === 'tool:result').map((event) => (event.payload as ToolResultEvent).call);
    const classes = results.map((call) => [call.toolCallId, call.status, call.actionClass, call.errorCode]);
    const expected = [
      ['call_read', 'completed', 'READ', null],
      ['call_raised', 'refused', 'SENSITIVE', 'POLICY_DENIED'],
      ['call_unknown', 'refused', null, 'NOT_FOUND'],
      ['call_critical', 'rejected', 'CRITICAL', null],
    ];
    expect(classes).toEqual(expected);
    expect(results[3]?.approvalId).toBe(approval.approvalId);
    expect(message.toolCalls.map((call) => [call.toolCallId, call.status, call.actionClass, call.errorCode])).toEqual(expected);

    const listed = () => get(other, `/api/conversations/${ack.conversationId}/messages`).expect(200);
    const stored = (await listed()).body as { items: ChatMessageView[] };
    expect(stored.items[1]?.toolCalls.map((call) => call.actionClass)).toEqual(['READ', 'SENSITIVE', null, 'CRITICAL']);
    // A message stored before tool calls carried their class reads as unclassified.
    await app.get(DataSource).query(
      `UPDATE messages SET tool_calls = (SELECT jsonb_agg(call - 'actionClass') FROM jsonb_array_elements(tool_calls) AS call) WHERE id = $1`,
      [message.id],
    );
    const old = (await listed()).body as { items: ChatMessageView[] };
    expect(old.items[1]?.toolCalls.map((call) => [call.toolCallId, call.actionClass])).toEqual([
      ['call_read', null],
      ['call_raised', null],
      ['call_unknown', null],
      ['call_critical', null],
    ]);
  });
});
