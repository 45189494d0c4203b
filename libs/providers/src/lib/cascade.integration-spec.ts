import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { Secret } from '@aegis/config';
import { ErrorCode, type ProviderName } from '@aegis/contracts';
import { createDataSourceOptions } from '@aegis/database';
import { answer, createTestDatabase, failure, type FakeLlmServer, hang, reset, startFakeLlmServer } from '@aegis/testing';
import { Logger, type LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createProviderAdapters } from './adapters/create-adapters';
import { ProviderCascade } from './cascade/provider-cascade';
import { ProviderFailureReason } from './provider.exception';
import type { ProviderStreamEvent } from './provider.types';
import { resolveProviderSettings, type ProviderSettings } from './provider-settings';
import { UsageRepository } from './usage/usage.repository';

/**
 * The cascade's resilience with the real AI SDK adapters, the fake LLM server and PostgreSQL:
 * fall-over, circuits, mid-stream drops, timeouts, budgets, and keys kept out of every log line.
 */
const KEYS = {
  openai: 'sk-proj-cascadeTestOpenAiKey111111',
  anthropic: 'sk-ant-api03-cascadeTestKey2222222',
  gemini: 'AIzaSyCascadeTestGeminiKey333333',
};

/** Every line the Nest logger writes during this file, as text. */
class CapturedLogs implements LoggerService {
  readonly lines: string[] = [];
  private keep =
    (level: string) =>
    (message: unknown, ...params: unknown[]) =>
      void this.lines.push(`${level} ${inspect([message, ...params], { depth: 8, breakLength: Infinity })}`);
  log = this.keep('log');
  warn = this.keep('warn');
  error = this.keep('error');
  debug = this.keep('debug');
  verbose = this.keep('verbose');
  fatal = this.keep('fatal');
}

async function collect(events: AsyncIterable<ProviderStreamEvent>): Promise<ProviderStreamEvent[]> {
  const out: ProviderStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const textOf = (events: ProviderStreamEvent[]) => events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
const errorsOf = (events: ProviderStreamEvent[]) => events.flatMap((event) => (event.type === 'error' ? [event.error] : []));

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('ProviderCascade with the AI SDK adapters, the fake LLM server and PostgreSQL', () => {
  const logs = new CapturedLogs();
  let fake: FakeLlmServer;
  let dataSource: DataSource;
  let databaseUrl: string;
  let alice: string;
  let bob: string;
  const ask = (userId: string) => ({ messages: [{ role: 'user' as const, content: 'hello' }], userId });

  function cascadeWith(
    order: ProviderName[],
    tune: (settings: ProviderSettings) => ProviderSettings = (settings) => settings,
    baseUrls: Partial<Record<ProviderName, string>> = {},
  ) {
    const base = resolveProviderSettings({
      order,
      apiKeys: { openai: new Secret(KEYS.openai), anthropic: new Secret(KEYS.anthropic), gemini: new Secret(KEYS.gemini) },
      baseUrls: {
        openai: fake.baseUrl('openai'),
        anthropic: fake.baseUrl('anthropic'),
        gemini: fake.baseUrl('gemini'),
        ollama: fake.baseUrl('ollama'),
        ...baseUrls,
      },
    });
    const settings = tune({
      ...base,
      resilience: {
        ...base.resilience,
        retries: 1,
        retryInitialDelayMs: 5,
        retryMaxDelayMs: 20,
        circuitThreshold: 3,
        circuitHalfOpenMs: 60_000,
        firstTokenTimeoutMs: 5_000,
      },
    });
    return new ProviderCascade(settings, createProviderAdapters(settings), new UsageRepository(dataSource));
  }

  beforeAll(async () => {
    Logger.overrideLogger(logs);
    fake = await startFakeLlmServer();
    databaseUrl = await createTestDatabase();
    dataSource = await new DataSource(createDataSourceOptions({ url: databaseUrl, embedded: false })).initialize();
    [{ id: alice }] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO users (username, password_hash, role) VALUES ('alice', 'x', 'operator') RETURNING id`,
    );
    [{ id: bob }] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO users (username, password_hash, role) VALUES ('bob', 'x', 'viewer') RETURNING id`,
    );
  });

  beforeEach(() => fake.reset());

  afterAll(async () => {
    await dataSource.destroy();
    await fake.close();
    Logger.overrideLogger(false);
  });

  it('answers from the secondary while the primary returns 500s, and opens the primary’s circuit at the threshold', async () => {
    const cascade = cascadeWith(['openai', 'anthropic']);
    fake.setDefault('openai', failure(500));
    fake.setDefault('anthropic', answer({ text: ['from ', 'anthropic'] }));

    const first = await collect(cascade.stream(ask(alice)));
    expect(textOf(first)).toBe('from anthropic');
    expect(first[0]).toEqual({ type: 'model-selected', provider: 'anthropic', model: 'claude-sonnet-4-5', attempts: 3 });
    expect(fake.requestsFor('openai')).toHaveLength(2);
    expect(cascade.status()[0].circuit).toBe('closed');

    // The third consecutive 500 reaches the threshold: the circuit opens, the answer still comes.
    expect(textOf(await collect(cascade.stream(ask(alice))))).toBe('from anthropic');
    expect(fake.requestsFor('openai')).toHaveLength(3);
    expect(cascade.status()[0]).toMatchObject({
      name: 'openai',
      circuit: 'open',
      lastFailure: { reason: 'openai: server error, HTTP 500' },
    });

    // While open, the primary is not called at all.
    const third = await collect(cascade.stream(ask(alice)));
    expect(third[0]).toEqual({ type: 'model-selected', provider: 'anthropic', model: 'claude-sonnet-4-5', attempts: 1 });
    expect(fake.requestsFor('openai')).toHaveLength(3);
    expect(fake.requestsFor('anthropic')).toHaveLength(3);
  });

  it('closes the circuit again when the half-open trial succeeds', async () => {
    const cascade = cascadeWith(['openai', 'anthropic'], (settings) => ({
      ...settings,
      resilience: { ...settings.resilience, retries: 0, circuitThreshold: 1, circuitHalfOpenMs: 50 },
    }));
    fake.enqueue('openai', failure(503), answer({ text: ['recovered'] }));
    fake.setDefault('anthropic', answer({ text: ['secondary'] }));
    expect(textOf(await collect(cascade.stream(ask(alice))))).toBe('secondary');
    expect(cascade.status()[0].circuit).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(textOf(await collect(cascade.stream(ask(alice))))).toBe('recovered');
    expect(cascade.status()[0].circuit).toBe('closed');
  });

  it('reports a stream dropped midway once, without repeating text or asking another provider', async () => {
    const cascade = cascadeWith(['openai', 'anthropic']);
    fake.enqueue('openai', answer({ text: ['Hel', 'lo', ' wor', 'ld'], chunkDelayMs: 15, dropAfterChunks: 2 }));
    fake.setDefault('anthropic', answer({ text: ['must not appear'] }));
    const events = await collect(cascade.stream(ask(alice)));
    expect(events.map((event) => event.type)).toEqual(['model-selected', 'text-delta', 'text-delta', 'error']);
    expect(textOf(events)).toBe('Hello');
    expect(errorsOf(events)).toEqual([
      expect.objectContaining({ code: ErrorCode.ProviderUnavailable, reason: ProviderFailureReason.Interrupted, provider: 'openai' }),
    ]);
    expect(fake.requestsFor('openai')).toHaveLength(1);
    expect(fake.requestsFor('anthropic')).toHaveLength(0);
  });

  it('retries a stream that drops before its first token, so nothing is shown twice', async () => {
    const cascade = cascadeWith(['anthropic', 'openai']);
    fake.enqueue('anthropic', answer({ text: ['never', 'seen'], dropAfterChunks: 0 }), answer({ text: ['whole ', 'answer'] }));
    const events = await collect(cascade.stream(ask(alice)));
    expect(textOf(events)).toBe('whole answer');
    expect(events[0]).toMatchObject({ provider: 'anthropic', attempts: 2 });
  });

  it('falls over when the primary refuses connections, resets them, or never answers', async () => {
    const refused = cascadeWith(['openai', 'gemini'], undefined, { openai: `http://127.0.0.1:${await closedPort()}/v1` });
    fake.setDefault('gemini', answer({ text: ['gemini ', 'here'] }));
    expect(textOf(await collect(refused.stream(ask(alice))))).toBe('gemini here');
    expect(refused.status()[0].lastFailure?.reason).toBe('openai: unreachable');

    const resetting = cascadeWith(['openai', 'gemini']);
    fake.enqueue('openai', reset(), reset());
    expect(textOf(await collect(resetting.stream(ask(alice))))).toBe('gemini here');

    const slow = cascadeWith(['openai', 'gemini'], (settings) => ({
      ...settings,
      resilience: { ...settings.resilience, retries: 0, firstTokenTimeoutMs: 100 },
    }));
    fake.enqueue('openai', hang());
    const started = Date.now();
    expect(textOf(await collect(slow.stream(ask(alice))))).toBe('gemini here');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(slow.status()[0].lastFailure?.reason).toBe('openai: timed out');
  });

  it('ends a stream the caller cancels midway with one cancellation error, counting no provider failure', async () => {
    const cascade = cascadeWith(['openai', 'anthropic']);
    fake.enqueue('openai', answer({ text: ['one ', 'two ', 'three ', 'four'], chunkDelayMs: 30 }));
    const controller = new AbortController();
    const events: ProviderStreamEvent[] = [];
    for await (const event of cascade.stream({ ...ask(alice), signal: controller.signal })) {
      events.push(event);
      if (event.type === 'text-delta') controller.abort();
    }
    expect(events.map((event) => event.type)).toEqual(['model-selected', 'text-delta', 'error']);
    expect(errorsOf(events)[0]).toMatchObject({ reason: ProviderFailureReason.Aborted, message: 'The request was cancelled' });
    expect(fake.requestsFor('anthropic')).toHaveLength(0);
    expect(cascade.status()[0]).toMatchObject({ circuit: 'closed', lastFailure: null });
  });

  it('honours a short Retry-After from a rate limit before retrying', async () => {
    const cascade = cascadeWith(['openai']);
    fake.enqueue('openai', failure(429, { retryAfterSeconds: 1 }), answer({ text: ['after the wait'] }));
    const started = Date.now();
    expect(textOf(await collect(cascade.stream(ask(alice))))).toBe('after the wait');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('stops a user past the budget with BUDGET_EXCEEDED, from the usage in PostgreSQL', async () => {
    // $0.01 a user per month; one answer of 20,000 tokens in at gpt-4.1-mini ($0.40/M) costs $0.008.
    const tuned = (settings: ProviderSettings): ProviderSettings => ({
      ...settings,
      budget: { ...settings.budget, userMicroDollars: 10_000, cacheMs: 0 },
    });
    const cascade = cascadeWith(['openai'], tuned);
    fake.setDefault('openai', answer({ text: ['paid'], usage: { inputTokens: 20_000, outputTokens: 0 } }));
    expect(textOf(await collect(cascade.stream(ask(bob))))).toBe('paid');
    expect(textOf(await collect(cascade.stream(ask(bob))))).toBe('paid');
    const refused = await collect(cascade.stream(ask(bob)));
    expect(refused).toEqual([{ type: 'error', error: expect.objectContaining({ code: ErrorCode.BudgetExceeded }) as unknown }]);
    expect(errorsOf(refused)[0].message).toBe('Your monthly LLM budget of $0.01 is spent ($0.02 used)');
    expect(fake.requestsFor('openai')).toHaveLength(2);

    // Another cascade (another API instance) reads the same spend from the database.
    const [{ spent }] = await dataSource.query<{ spent: string }[]>(
      `SELECT sum(cost_micro_usd)::text AS spent FROM usage_records WHERE user_id = $1`,
      [bob],
    );
    expect(Number(spent)).toBe(16_000);
    expect(errorsOf(await collect(cascadeWith(['openai'], tuned).stream(ask(bob))))[0].code).toBe(ErrorCode.BudgetExceeded);
  });

  it('admits concurrent requests through two instances one reservation at a time, so a budget is overshot by at most one estimate', async () => {
    // $0.01 a user; each answer (100 in, 5,000 out at gpt-4.1-mini) costs 8,040 µ$ and reserves a little more.
    const [{ id: carol }] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO users (username, password_hash, role) VALUES ('carol', 'x', 'operator') RETURNING id`,
    );
    const other = await new DataSource(createDataSourceOptions({ url: databaseUrl, embedded: false })).initialize();
    try {
      const tuned = (settings: ProviderSettings): ProviderSettings => ({
        ...settings,
        budget: { ...settings.budget, userMicroDollars: 10_000 },
      });
      const first = cascadeWith(['openai'], tuned);
      const secondSettings = tuned(
        resolveProviderSettings({
          order: ['openai'],
          apiKeys: { openai: new Secret(KEYS.openai) },
          baseUrls: { openai: fake.baseUrl('openai') },
        }),
      );
      const second = new ProviderCascade(secondSettings, createProviderAdapters(secondSettings), new UsageRepository(other));
      fake.setDefault('openai', answer({ text: ['paid'], usage: { inputTokens: 100, outputTokens: 5_000 }, headersDelayMs: 200 }));
      const request = { ...ask(carol), maxOutputTokens: 5_000 };
      const results = await Promise.all([first, second, first, second, first, second].map((cascade) => collect(cascade.stream(request))));
      const answered = results.filter((events) => textOf(events) === 'paid').length;
      expect(answered).toBeGreaterThanOrEqual(1);
      expect(answered).toBeLessThanOrEqual(2);
      const [{ spent }] = await dataSource.query<{ spent: string }[]>(
        `SELECT sum(cost_micro_usd)::text AS spent FROM usage_records WHERE user_id = $1`,
        [carol],
      );
      expect(Number(spent)).toBe(answered * 8_040);
      expect(Number(spent)).toBeLessThanOrEqual(10_000 + 8_100);
      expect(results.filter((events) => errorsOf(events)[0]?.code === ErrorCode.BudgetExceeded)).toHaveLength(6 - answered);
    } finally {
      fake.setDefault('openai', undefined);
      await other.destroy();
    }
  });

  it('probes reachability without sending a key', async () => {
    const cascade = cascadeWith(['openai', 'anthropic'], undefined, { anthropic: `http://127.0.0.1:${await closedPort()}/v1` });
    await cascade.refreshReachability();
    const status = cascade.status();
    expect(status.find((entry) => entry.name === 'openai')?.reachable).toBe(true);
    expect(status.find((entry) => entry.name === 'anthropic')?.reachable).toBe(false);
    expect(status.find((entry) => entry.name === 'mistral')?.reachable).toBeNull();
    for (const request of fake.requests.filter((entry) => entry.method === 'GET')) {
      expect(JSON.stringify(request.headers)).not.toContain(KEYS.openai);
    }
  });

  it('writes no key into any log line, error or status, even when vendors echo the key back', async () => {
    const cascade = cascadeWith(['openai', 'anthropic', 'gemini']);
    fake.enqueue(
      'openai',
      failure(401, {
        message: `Incorrect API key provided: ${KEYS.openai}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      }),
    );
    fake.enqueue(
      'anthropic',
      failure(500, { message: `upstream proxy failed for x-api-key ${KEYS.anthropic}` }),
      failure(500, { message: `again ${KEYS.anthropic}` }),
    );
    fake.enqueue('gemini', failure(400, { message: `API key not valid: ${KEYS.gemini}` }));
    const events = await collect(cascade.stream(ask(alice)));
    expect(errorsOf(events)[0].details).toEqual([
      'openai: key refused, HTTP 401',
      'anthropic: server error, HTTP 500, 2 attempts',
      'gemini: request refused, HTTP 400',
    ]);

    const everything = [...logs.lines, inspect(events, { depth: 8 }), JSON.stringify(events), JSON.stringify(cascade.status())].join('\n');
    expect(logs.lines.some((line) => line.includes('openai attempt 1 failed'))).toBe(true);
    for (const key of Object.values(KEYS)) expect(everything).not.toContain(key);
    expect(everything).toContain('[redacted]');
  });
});
