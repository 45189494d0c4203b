import { Secret } from '@aegis/config';
import { ErrorCode } from '@aegis/contracts';
import { createDataSourceOptions } from '@aegis/database';
import { answer, createTestDatabase, type FakeLlmServer, startFakeLlmServer } from '@aegis/testing';
import { DataSource } from 'typeorm';
import { createProviderAdapters } from '../adapters/create-adapters';
import { ProviderCascade } from '../cascade/provider-cascade';
import type { ProviderStreamEvent } from '../provider.types';
import { resolveProviderSettings, type ProviderSettings } from '../provider-settings';
import { BatchedUsageStore, USAGE_BATCH_DEFAULTS } from './batched-usage-store';
import { utcDay } from './usage-store';
import { UsageRepository } from './usage.repository';

/** Usage written in batches (BatchedUsageStore over UsageRepository) against PostgreSQL: complete, flushed on shutdown, budgets kept. */
const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

async function collect(events: AsyncIterable<ProviderStreamEvent>): Promise<ProviderStreamEvent[]> {
  const out: ProviderStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const textOf = (events: ProviderStreamEvent[]) => events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');

describe('BatchedUsageStore over PostgreSQL', () => {
  let fake: FakeLlmServer;
  let databaseUrl: string;
  let dataSource: DataSource;

  const settingsWith = (tune: (settings: ProviderSettings) => ProviderSettings = (settings) => settings): ProviderSettings =>
    tune(
      resolveProviderSettings({
        order: ['openai'],
        apiKeys: { openai: new Secret('sk-proj-batchedUsageTestKey0000000') },
        baseUrls: { openai: fake.baseUrl('openai') },
      }),
    );
  const cascadeOver = (store: BatchedUsageStore, settings: ProviderSettings) =>
    new ProviderCascade(settings, createProviderAdapters(settings), store);
  const newUser = async (name: string) =>
    (
      await dataSource.query<{ id: string }[]>(
        `INSERT INTO users (username, password_hash, role) VALUES ($1, 'x', 'operator') RETURNING id`,
        [name],
      )
    )[0].id;
  const rowsOf = (userId: string) =>
    dataSource.query<{ conversation_id: string | null; requests: number; input_tokens: string; output_tokens: string; cost: string }[]>(
      `SELECT conversation_id, requests, input_tokens::text, output_tokens::text, cost_micro_usd::text AS cost
         FROM usage_records WHERE user_id = $1 ORDER BY conversation_id`,
      [userId],
    );

  beforeAll(async () => {
    fake = await startFakeLlmServer();
    databaseUrl = await createTestDatabase();
    dataSource = await new DataSource(createDataSourceOptions({ url: databaseUrl, embedded: false })).initialize();
  });

  beforeEach(() => fake.reset());

  afterAll(async () => {
    await dataSource.destroy();
    await fake.close();
  });

  it('writes a burst of answers in a few batches, every request, token and micro-dollar of it', async () => {
    const dave = await newUser('dave');
    const repository = new UsageRepository(dataSource);
    const batches = jest.spyOn(repository, 'addMany');
    const single = jest.spyOn(repository, 'add');
    const store = new BatchedUsageStore(repository, silent);
    const cascade = cascadeOver(store, settingsWith());
    fake.setDefault('openai', answer({ text: ['counted'], usage: { inputTokens: 1_000, outputTokens: 250 } }));
    const conversations = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        collect(cascade.stream({ messages: [{ role: 'user', content: 'hi' }], userId: dave, conversationId: conversations[index % 2] })),
      ),
    );
    expect(results.every((events) => textOf(events) === 'counted')).toBe(true);
    await store.flush();

    // gpt-4.1-mini: $0.40/M in, $1.60/M out → 400 + 400 µ$ an answer.
    expect(await rowsOf(dave)).toEqual(
      conversations.map((conversationId) => ({
        conversation_id: conversationId,
        requests: 20,
        input_tokens: '20000',
        output_tokens: '5000',
        cost: '16000',
      })),
    );
    expect(single).not.toHaveBeenCalled();
    expect(batches.mock.calls.length).toBeLessThan(40);
  });

  it('writes what is queued when the server stops, and writes later usage at once', async () => {
    const erin = await newUser('erin');
    const store = new BatchedUsageStore(new UsageRepository(dataSource), silent, { ...USAGE_BATCH_DEFAULTS, flushIntervalMs: 600_000 });
    const increment = {
      day: utcDay(new Date()),
      userId: erin,
      conversationId: null,
      provider: 'openai' as const,
      model: 'gpt-4.1-mini',
      inputTokens: 10,
      outputTokens: 5,
      costMicroDollars: 12,
    };
    await store.add(increment);
    await store.add(increment);
    expect(await rowsOf(erin)).toEqual([]);

    await store.beforeApplicationShutdown();
    expect(await rowsOf(erin)).toEqual([{ conversation_id: null, requests: 2, input_tokens: '20', output_tokens: '10', cost: '24' }]);
    await store.add(increment);
    expect(await rowsOf(erin)).toEqual([{ conversation_id: null, requests: 3, input_tokens: '30', output_tokens: '15', cost: '36' }]);
  });

  it('still refuses at the budget when concurrent answers of two instances settle in batches', async () => {
    // $0.01 a user; each answer (100 in, 5,000 out at gpt-4.1-mini) costs 8,040 µ$ and reserves a little more.
    const frank = await newUser('frank');
    const other = await new DataSource(createDataSourceOptions({ url: databaseUrl, embedded: false })).initialize();
    try {
      const tuned = settingsWith((settings) => ({ ...settings, budget: { ...settings.budget, userMicroDollars: 10_000 } }));
      const firstStore = new BatchedUsageStore(new UsageRepository(dataSource), silent);
      const secondStore = new BatchedUsageStore(new UsageRepository(other), silent);
      const first = cascadeOver(firstStore, tuned);
      const second = cascadeOver(secondStore, tuned);
      fake.setDefault('openai', answer({ text: ['paid'], usage: { inputTokens: 100, outputTokens: 5_000 }, headersDelayMs: 200 }));
      const request = { messages: [{ role: 'user' as const, content: 'hello' }], userId: frank, maxOutputTokens: 5_000 };
      const results = await Promise.all([first, second, first, second, first, second].map((cascade) => collect(cascade.stream(request))));
      const answered = results.filter((events) => textOf(events) === 'paid').length;
      expect(answered).toBeGreaterThanOrEqual(1);
      expect(answered).toBeLessThanOrEqual(2);
      expect(
        results.filter((events) => events.some((event) => event.type === 'error' && event.error.code === ErrorCode.BudgetExceeded)),
      ).toHaveLength(6 - answered);

      await Promise.all([firstStore.close(), secondStore.close()]);
      const [row] = await rowsOf(frank);
      expect(row).toMatchObject({ requests: answered, cost: String(answered * 8_040) });
      expect(Number(row.cost)).toBeLessThanOrEqual(10_000 + 8_100);
      const after = await collect(cascadeOver(new BatchedUsageStore(new UsageRepository(dataSource), silent), tuned).stream(request));
      expect(after).toEqual([{ type: 'error', error: expect.objectContaining({ code: ErrorCode.BudgetExceeded }) as unknown }]);
    } finally {
      fake.setDefault('openai', undefined);
      await other.destroy();
    }
  });
});
