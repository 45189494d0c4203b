import type { ConversationView, RunErrorEvent } from '@aegis/contracts';
import type { FakeLlmServer } from '@aegis/testing';
import { type BrowserSession, cookieHeader } from '../testing/http-session';
import { chatTestApp } from '../testing/chat-test-app';

// GET/POST/PATCH/DELETE /api/conversations: owner only, paging by cursor, renaming and title search.

describe('conversations against PostgreSQL', () => {
  const chat = chatTestApp();
  const { post, get, connect, send, http } = chat;
  let fake: FakeLlmServer;
  let operator: BrowserSession;
  let other: BrowserSession;

  beforeAll(async () => {
    ({ fake, operator, other } = await chat.start());
  });

  afterEach(() => fake.setDefault('openai', undefined));

  afterAll(async () => {
    await chat.close();
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

    await http()
      .delete(`/api/conversations/${created.id}`)
      .set('Cookie', cookieHeader(operator))
      .set('X-CSRF-Token', operator.csrf)
      .expect(204);
    await get(operator, `/api/conversations/${created.id}/messages`).expect(404);
  });

  it('pages conversations with a cursor', async () => {
    const created: ConversationView[] = [];
    for (let index = 0; index < 22; index += 1)
      created.push((await post(other, '/api/conversations', { title: `page ${index}` }).expect(201)).body as ConversationView);
    const first = (await get(other, '/api/conversations').expect(200)).body as { items: ConversationView[]; nextCursor: string | null };
    expect(first.items).toHaveLength(20);
    // The list formats its timestamps in SQL: each item exactly as its creation answered it.
    const byId = new Map(created.map((view) => [view.id, view]));
    for (const item of first.items) if (byId.has(item.id)) expect(item).toEqual(byId.get(item.id));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await get(other, `/api/conversations?cursor=${first.nextCursor ?? ''}`).expect(200)).body as {
      items: ConversationView[];
      nextCursor: string | null;
    };
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
    const renamed = (await patch(operator, `/api/conversations/${older.id}`, { title: '  Release checklist  ' }).expect(200))
      .body as ConversationView;
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
    for (const title of ['Quarterly REPORT', 'report 100% done', 'report_final', 'Unrelated'])
      await post(operator, '/api/conversations', { title }).expect(201);
    const titles = async (session: BrowserSession, q: string) =>
      ((await search(session, q)).body as { items: ConversationView[] }).items.map((item) => item.title);
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
});
