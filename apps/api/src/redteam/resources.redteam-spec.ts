import { deflateSync } from 'node:zlib';
import type { MessageCompletedEvent, MessageSendAck, MessageSendPayload, RunErrorEvent } from '@aegis/contracts';
import { BatchedUsageStore } from '@aegis/providers';
import { answer } from '@aegis/testing';
import { DataSource } from 'typeorm';
import { cookieHeader } from '../testing/http-session';
import { type ChatClient, type RedteamServer, type RedteamUser, startRedteamServer } from './redteam-server';

// Money and resources (issue 10, items 17 and 18): a model without a price, concurrent requests
// against one budget, PDF bombs, and uploads past a user's quota.

const UNPRICED_MODEL = 'gpt-unpriced-preview';

/** Every event of one socket, and a way to wait for the end of a run. */
function recorderOf(socket: ChatClient) {
  const events: { name: string; payload: { runId?: string | null } }[] = [];
  socket.onAny((name: string, payload: { runId?: string | null }) => events.push({ name, payload }));
  return {
    events,
    forRun: (runId: string) => events.filter((event) => event.payload.runId === runId).map((event) => event.name),
    async completed(runId: string, timeoutMs = 30_000): Promise<MessageCompletedEvent> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const done = events.find((event) => event.name === 'message:completed' && event.payload.runId === runId);
        if (done) return done.payload as unknown as MessageCompletedEvent;
        if (Date.now() > until) throw new Error(`run ${runId} did not complete; got ${events.map((event) => event.name).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

const send = (socket: ChatClient, payload: MessageSendPayload) =>
  new Promise<MessageSendAck>((resolve) => socket.emit('message:send', payload, resolve));

async function spendOf(server: RedteamServer, model?: string): Promise<{ rows: number; cost: number }> {
  await server.app.get(BatchedUsageStore).flush();
  const [row] = await server.app
    .get(DataSource)
    .query<{ rows: string; cost: string }[]>(
      `SELECT count(*)::text AS rows, coalesce(sum(cost_micro_usd), 0)::text AS cost FROM usage_records WHERE $1::text IS NULL OR model = $1`,
      [model ?? null],
    );
  return { rows: Number(row.rows), cost: Number(row.cost) };
}

/** A valid PDF of `pages` tiny pages, each showing `Page N marker`. */
function manyPagePdf(pages: number): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  const kids: string[] = [];
  for (let page = 1; page <= pages; page++) {
    const pageObject = objects.length + 1;
    kids.push(`${pageObject} 0 R`);
    const stream = `BT /F1 12 Tf 20 100 Td (Page ${page} marker) Tj ET`;
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageObject + 1} 0 R >>`,
    );
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`;
  return pdfOf(objects.map((object) => Buffer.from(object, 'latin1')));
}

/** A one-page PDF whose compressed content stream unpacks to millions of text operators (a few KB on disk, seconds to parse). */
function slowPdf(operators: number): Buffer {
  const content = deflateSync(Buffer.from(`BT /F1 12 Tf 20 100 Td ${'(slow) Tj 1 0 Td '.repeat(operators)}ET`, 'latin1'));
  return pdfOf([
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [4 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>'),
    Buffer.concat([Buffer.from(`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`), content, Buffer.from('\nendstream')]),
  ]);
}

/** Numbers the objects from 1 and writes a correct cross-reference table. */
function pdfOf(objects: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  let length = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(length);
    const framed = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`), object, Buffer.from('\nendobj\n')]);
    parts.push(framed);
    length += framed.length;
  });
  const table = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  parts.push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${table}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`,
    ),
  );
  return Buffer.concat(parts);
}

/**
 * Polls GET /api/health every 100 ms until stopped; resolves to how many answers arrived. While
 * a 3 s parse runs on a free event loop that is about thirty; on a blocked one it is at most one.
 * A count, not a latency: a busy CI machine slows each answer but cannot fake thirty of them.
 */
function countHealthAnswers(server: RedteamServer): { stop(): Promise<number> } {
  let running = true;
  const loop = (async () => {
    let answers = 0;
    while (running) {
      await server.http().get('/api/health').expect(200);
      answers += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return answers;
  })();
  return {
    stop: () => {
      running = false;
      return loop;
    },
  };
}

describe('red team: money (item 17)', () => {
  // 200 micro-dollars per user; 15,000 for everyone together: one answer of 12,840 fits, two do not.
  const GLOBAL_BUDGET_MICRO = 15_000;
  let server: RedteamServer;

  beforeAll(async () => {
    server = await startRedteamServer({ env: { PROVIDER_BUDGET_USER_USD: '0.0002', PROVIDER_BUDGET_GLOBAL_USD: '0.015' } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('a user with a tiny budget cannot chat for free by choosing a model missing from the price table (item 17)', async () => {
    const socket = await server.socket('opal');
    const recorder = recorderOf(socket);
    for (let attempt = 0; attempt < 3; attempt++) {
      server.fake.enqueue('openai', answer({ text: ['free ', 'answer'], usage: { inputTokens: 10, outputTokens: 2 } }));
      const ack = await send(socket, { content: 'answer me for nothing', model: UNPRICED_MODEL });
      if (!ack.ok) {
        expect(ack.code).toBe('BUDGET_MODEL_UNPRICED');
        continue;
      }
      await recorder.completed(ack.runId);
      expect(recorder.forRun(ack.runId)).not.toContain('message:delta');
      const error = recorder.events.find((event) => event.name === 'run:error' && event.payload.runId === ack.runId)?.payload as
        RunErrorEvent | undefined;
      expect(error).toMatchObject({ code: 'BUDGET_MODEL_UNPRICED', message: expect.stringContaining(UNPRICED_MODEL) as unknown });
    }
    expect(
      server.fake.requestsFor('openai').filter((request) => (request.body as { model?: string }).model === UNPRICED_MODEL),
    ).toHaveLength(0);
    expect(await spendOf(server, UNPRICED_MODEL)).toEqual({ rows: 0, cost: 0 });
    server.fake.reset();
  });

  it('concurrent requests of five users cannot overshoot a global budget that fits one answer by more than one reservation (item 17)', async () => {
    const users: RedteamUser[] = ['root', 'admin2', 'opal', 'otto', 'vera'];
    // 100 input + 8,000 output tokens of gpt-4.1-mini: 12,840 micro-dollars each, under one reservation.
    for (const _ of users)
      server.fake.enqueue(
        'openai',
        answer({ text: ['costly ', 'answer'], usage: { inputTokens: 100, outputTokens: 8_000 }, headersDelayMs: 400 }),
      );
    const sockets = await Promise.all(users.map((who) => server.socket(who)));
    const recorders = sockets.map(recorderOf);
    const acks = await Promise.all(sockets.map((socket) => send(socket, { content: 'write a long essay' })));
    await Promise.all(acks.map((ack, index) => (ack.ok ? recorders[index].completed(ack.runId) : Promise.resolve())));
    const { cost } = await spendOf(server);
    // One reservation: the agent's 8,192 output tokens at $1.60 per million, plus a few thousand prompt tokens at $0.40.
    const oneReservation = Math.ceil(8_192 * 1.6 + 5_000 * 0.4);
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBeLessThanOrEqual(GLOBAL_BUDGET_MICRO + oneReservation);
    // Every reservation was settled to its answer's real cost or released.
    expect(cost % 12_840).toBe(0);
    const refused = recorders.flatMap((recorder) =>
      recorder.events.filter((event) => event.name === 'run:error').map((event) => (event.payload as unknown as RunErrorEvent).code),
    );
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(new Set(refused)).toEqual(new Set(['BUDGET_EXCEEDED']));
    server.fake.reset();
  });
});

describe('red team: a configured default price (item 17)', () => {
  let server: RedteamServer;

  beforeAll(async () => {
    server = await startRedteamServer({ env: { PROVIDER_BUDGET_USER_USD: '0.0002', PROVIDER_DEFAULT_PRICE: '1/2' } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('a model missing from the price table is priced by PROVIDER_DEFAULT_PRICE when one is set (item 17)', async () => {
    const socket = await server.socket('opal');
    const recorder = recorderOf(socket);
    server.fake.enqueue('openai', answer({ text: ['priced'], usage: { inputTokens: 10, outputTokens: 3 } }));
    const ack = await send(socket, { content: 'answer me', model: UNPRICED_MODEL });
    if (!ack.ok) throw new Error(`refused: ${ack.code} ${ack.message}`);
    const { message } = await recorder.completed(ack.runId);
    expect(message.content).toBe('priced');
    // 10 tokens at $1 and 3 at $2 per million.
    expect(await spendOf(server, UNPRICED_MODEL)).toEqual({ rows: 1, cost: 16 });
  });
});

describe('red team: uploads and PDFs (item 18)', () => {
  let server: RedteamServer;

  beforeAll(async () => {
    server = await startRedteamServer({ env: { UPLOAD_QUOTA_MB: '2', UPLOAD_PDF_MAX_PAGES: '50', UPLOAD_PDF_TIMEOUT_MS: '3000' } });
  });

  afterAll(async () => {
    await server?.close();
  });

  const upload = (who: RedteamUser, bytes: Buffer, name: string) => {
    const session = server.sessions[who];
    return server
      .http()
      .post('/api/uploads')
      .set('Cookie', cookieHeader(session))
      .set('X-CSRF-Token', session.csrf)
      .attach('file', bytes, name);
  };

  it('uploads past a user’s quota are refused with the numbers, and another user is unaffected even by identical content (item 18)', async () => {
    const chunk = (fill: string) => Buffer.from(fill.repeat(800 * 1024));
    await upload('opal', chunk('a'), 'one.txt').expect(201);
    await upload('opal', chunk('b'), 'two.txt').expect(201);
    const refused = await upload('opal', chunk('c'), 'three.txt');
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({ code: 'UPLOAD_QUOTA_EXCEEDED', message: expect.stringMatching(/2 MB/) as unknown });
    // Identical content is stored once on disk, but counts for each user who uploads it.
    await upload('otto', chunk('a'), 'same-as-opal.txt').expect(201);
    await upload('otto', chunk('c'), 'three.txt').expect(201);
    expect((await upload('otto', chunk('d'), 'four.txt')).status).toBe(413);
    expect((await upload('opal', chunk('e'), 'again.txt')).status).toBe(413);
  });

  it('deleting an upload frees its owner’s quota and never takes bytes another user still has (item 18)', async () => {
    const chunk = (fill: string) => Buffer.from(fill.repeat(700 * 1024));
    const mine = (await upload('vera', chunk('x'), 'mine.txt').expect(201)).body as { id: string };
    await upload('vera', chunk('y'), 'second.txt').expect(201);
    expect((await upload('vera', chunk('z'), 'third.txt')).status).toBe(413);
    const rootCopy = (await upload('root', chunk('x'), 'same-bytes.txt').expect(201)).body as { id: string };
    await server.as('otto').delete(`/api/uploads/${mine.id}`).expect(404);
    await server.as('vera').delete(`/api/uploads/${mine.id}`).expect(204);
    await server.as('vera').get(`/api/uploads/${mine.id}`).expect(404);
    await upload('vera', chunk('z'), 'third.txt').expect(201);
    // root uploaded the same bytes: they are stored once, and stay for root.
    const kept = await server.as('root').get(`/api/uploads/${rootCopy.id}/content`).expect(200);
    expect(kept.text === chunk('x').toString()).toBe(true);
  });

  it('a PDF of six thousand pages is read only up to the page limit (item 18)', async () => {
    const { id } = (await upload('admin2', manyPagePdf(6_000), 'bomb.pdf').expect(201)).body as { id: string };
    const socket = await server.socket('admin2');
    const recorder = recorderOf(socket);
    server.fake.enqueue('openai', answer({ text: ['read it'] }));
    const ack = await send(socket, { content: 'summarise the attachment', fileIds: [id] });
    if (!ack.ok) throw new Error(`refused: ${ack.code} ${ack.message}`);
    await recorder.completed(ack.runId);
    const prompt = JSON.stringify(server.fake.requestsFor('openai').at(-1)?.body);
    expect(prompt).toContain('Page 50 marker');
    expect(prompt).not.toContain('Page 51 marker');
    expect(prompt).toContain('first 50 of its 6000 pages');
  });

  it('a PDF that takes too long to parse is stopped at the time limit with a clear error while the server keeps answering (item 18)', async () => {
    const bomb = slowPdf(3_000_000);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const { id } = (await upload('root', bomb, 'slow.pdf').expect(201)).body as { id: string };
    const socket = await server.socket('root');
    const health = countHealthAnswers(server);
    const ack = await send(socket, { content: 'summarise the attachment', fileIds: [id] });
    expect(ack).toMatchObject({
      ok: false,
      code: 'DOCUMENT_TOO_COMPLEX',
      message: expect.stringContaining('3 s (UPLOAD_PDF_TIMEOUT_MS)') as unknown,
    });
    // The parse ran in a worker: the server went on answering for the whole three seconds.
    expect(await health.stop()).toBeGreaterThanOrEqual(5);
  });
});
