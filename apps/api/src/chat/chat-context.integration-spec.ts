import type { ChatMessageView, ConversationView, MessageCompletedEvent } from '@aegis/contracts';
import { MEMORY_EMBEDDING_DIMENSIONS } from '@aegis/database';
import { answer, embeddings, type FakeLlmServer } from '@aegis/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { type BrowserSession, cookieHeader } from '../testing/http-session';
import { chatTestApp } from '../testing/chat-test-app';

// What a chat run brings to the model besides the message: the user's uploads (docs/web.md) and the
// user's memory (docs/memory.md), each for its owner only.

describe('chat context: uploads and memory', () => {
  const chat = chatTestApp();
  const { get, connect, send, http } = chat;
  let fake: FakeLlmServer;
  let operator: BrowserSession;
  let other: BrowserSession;
  let app: NestExpressApplication;

  beforeAll(async () => {
    ({ fake, app, operator, other } = await chat.start());
  });

  afterEach(() => fake.setDefault('openai', undefined));

  afterAll(async () => {
    await chat.close();
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
    const stored = (await get(operator, `/api/conversations/${ack.conversationId}/messages`).expect(200)).body as {
      items: ChatMessageView[];
    };
    expect(stored.items[0].fileIds).toEqual([fileId]);

    const intruder = await connect(other);
    const before = (await get(other, '/api/conversations').expect(200)).body as { items: ConversationView[] };
    expect(await send(intruder.socket, { content: 'Describe it', fileIds: [fileId] })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const after = (await get(other, '/api/conversations').expect(200)).body as { items: ConversationView[] };
    expect(after.items).toHaveLength(before.items.length);
  });

  it('saves a memory in one conversation and finds it from a later one, for its owner only', async () => {
    const dataSource = app.get(DataSource);
    const vectors =
      (
        await dataSource.query<unknown[]>(
          `SELECT 1 FROM information_schema.columns WHERE table_name = 'memory_items' AND column_name = 'embedding'`,
        )
      ).length > 0;
    const embedding = () => (vectors ? [embeddings({ dimensions: MEMORY_EMBEDDING_DIMENSIONS })] : []);
    const { socket, recorder } = await connect(operator);
    fake.enqueue(
      'openai',
      answer({
        toolCalls: [{ id: 'call_save', name: 'memory_save', arguments: { content: 'The staging database is called quokka-staging.' } }],
      }),
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
    // Memory tools are registry tools: audited by governance with the run id (a started and an outcome entry) like every tool call.
    const audited = await dataSource.query<{ action: string; run_id: string | null; action_class: string }[]>(
      `SELECT action, run_id, action_class FROM audit_entries WHERE action IN ('tool.memory_save', 'tool.memory_search') AND result->>'status' = 'completed' ORDER BY id`,
    );
    expect(audited.map((row) => [row.action, row.action_class])).toEqual([
      ['tool.memory_save', 'SAFE'],
      ['tool.memory_search', 'READ'],
    ]);
    expect(audited.every((row) => typeof row.run_id === 'string')).toBe(true);

    const intruder = await connect(other);
    fake.enqueue(
      'openai',
      answer({ toolCalls: [{ id: 'call_peek', name: 'memory_search', arguments: { query: 'staging database' } }] }),
      ...embedding(),
      answer({ text: ['Nothing.'] }),
    );
    const peeked = intruder.recorder.next<MessageCompletedEvent>('message:completed');
    await send(intruder.socket, { content: 'What is the staging database called?' });
    expect(JSON.stringify((await peeked).message.toolCalls[0].output)).not.toContain('quokka');
  });
});
