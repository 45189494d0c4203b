// npm run bench -- providers: the latency the provider layer (ProviderCascade + the AI SDK adapter)
// adds over a direct fetch to the same fake LLM server, for time to first token and for a whole
// streamed answer, and throughput at 100 concurrent streams. Targets (issue 14): median added latency
// of a whole answer ≤ 0.5 ms on every protocol with usage recorded to PostgreSQL; at 100 concurrent
// streams ≥ 90 % of the direct client's streams/s.
//
// The direct baseline is a minimal hand-written client (fetch, split events, JSON.parse, pick the text; SSE, or NDJSON for Ollama).
// The layer rows include everything a real call does except the network: prompt conversion, the SDK's request building and chunk validation, retry/circuit wrapping, timers,
// pricing and recording usage (to PostgreSQL through the server's BatchedUsageStore; in memory for
// comparison; and with a user budget enforced, whose admission is a synchronous transaction).
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { createOpenAI } from '@ai-sdk/openai';
import { Secret } from '@aegis/config';
import type { ProviderName } from '@aegis/contracts';
import { createDataSourceOptions, migrateUp } from '@aegis/database';
import {
  BatchedUsageStore,
  createProviderAdapters,
  InMemoryUsageStore,
  ProviderCascade,
  resolveProviderSettings,
  type ProviderSettings,
  type ProviderStreamEvent,
  type UsageStore,
  UsageRepository,
} from '@aegis/providers';
import { answer, startFakeLlmServer, startPostgresCluster } from '@aegis/testing';
import { DataSource } from 'typeorm';
import { percentile, round, row, report, type Row } from './stats';

const REQUESTS = 300;
const WARMUP = 50;
const CONCURRENCY = 100;
const CONCURRENT_TOTAL = 2_000;
const CONCURRENT_ROUNDS = 4;
const TARGET_ADDED_MS = 0.5;
const TARGET_CONCURRENT_SHARE = 0.9;
/** A realistic short answer: 40 chunks of a few characters, as vendors stream them. */
const CHUNKS = Array.from({ length: 40 }, (_, index) => `tok${index} `);
const ANSWER_TEXT = CHUNKS.join('');
const PROTOCOLS: ProviderName[] = ['openai', 'anthropic', 'gemini', 'ollama'];
const KEYS: Partial<Record<ProviderName, string>> = {
  openai: 'sk-bench-openai-key-000000001',
  anthropic: 'sk-ant-bench-key-0000000002',
  gemini: 'AIzaBenchGeminiKey000000003',
};

/** The fake server runs in a child process (this file with --fake-server), so it does not share the client's CPU. */
interface FakeServer {
  baseUrl(vendor: ProviderName): string;
  stop(): void;
}

async function serveFake(): Promise<void> {
  const fake = await startFakeLlmServer({ record: false });
  for (const vendor of PROTOCOLS)
    fake.setDefault(vendor, answer({ text: CHUNKS, usage: { inputTokens: 120, outputTokens: CHUNKS.length } }));
  process.stdout.write(`READY ${JSON.stringify(Object.fromEntries(PROTOCOLS.map((vendor) => [vendor, fake.baseUrl(vendor)])))}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => void fake.close().then(() => process.exit(0)));
}

async function startFakeProcess(): Promise<FakeServer> {
  const child = spawn(process.execPath, [...process.execArgv, __filename, '--fake-server'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: process.env,
  });
  const lines = createInterface({ input: child.stdout });
  const urls = await new Promise<Record<string, string>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fake server exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) resolve(JSON.parse(line.slice(6)) as Record<string, string>);
    });
  });
  return {
    baseUrl: (vendor) => urls[vendor],
    stop: () => child.stdin.end(),
  };
}

interface Timing {
  firstTokenMs: number;
  totalMs: number;
}

const now = () => performance.now();

/** The request each vendor expects, as a hand-written client would send it. */
function directRequest(fake: FakeServer, vendor: ProviderName): { url: string; init: RequestInit } {
  const json = (body: unknown, headers: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const messages = [{ role: 'user', content: 'hello' }];
  switch (vendor) {
    case 'anthropic':
      return {
        url: `${fake.baseUrl('anthropic')}/messages`,
        init: json(
          { model: 'claude-sonnet-4-5', max_tokens: 1024, stream: true, messages },
          { 'x-api-key': KEYS.anthropic ?? '', 'anthropic-version': '2023-06-01' },
        ),
      };
    case 'gemini':
      return {
        url: `${fake.baseUrl('gemini')}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
        init: json({ contents: [{ role: 'user', parts: [{ text: 'hello' }] }] }, { 'x-goog-api-key': KEYS.gemini ?? '' }),
      };
    case 'ollama':
      return { url: `${fake.baseUrl('ollama')}/api/chat`, init: json({ model: 'llama3.2', messages, stream: true }, {}) };
    default:
      return {
        url: `${fake.baseUrl('openai')}/chat/completions`,
        init: json(
          { model: 'gpt-4.1-mini', messages, stream: true, stream_options: { include_usage: true } },
          { authorization: `Bearer ${KEYS.openai ?? ''}` },
        ),
      };
  }
}

/** The text of one parsed event of a vendor, or undefined. */
function textOfEvent(vendor: ProviderName, event: Record<string, unknown>): string | undefined {
  switch (vendor) {
    case 'anthropic': {
      const delta = event['delta'] as { type?: string; text?: string } | undefined;
      return event['type'] === 'content_block_delta' && delta?.type === 'text_delta' ? delta.text : undefined;
    }
    case 'gemini':
      return (event['candidates'] as { content?: { parts?: { text?: string }[] } }[] | undefined)?.[0]?.content?.parts?.[0]?.text;
    case 'ollama':
      return (event['message'] as { content?: string } | undefined)?.content || undefined;
    default:
      return (event['choices'] as { delta?: { content?: string } }[] | undefined)?.[0]?.delta?.content || undefined;
  }
}

/** A direct fetch: read the stream, split events, parse JSON, collect the text. */
async function direct(fake: FakeServer, vendor: ProviderName): Promise<Timing> {
  const start = now();
  const { url, init } = directRequest(fake, vendor);
  const response = await fetch(url, init);
  if (!response.ok || !response.body) throw new Error(`direct ${vendor}: HTTP ${response.status}`);
  const decoder = new TextDecoder();
  const separator = vendor === 'ollama' ? '\n' : vendor === 'gemini' ? '\r\n\r\n' : '\n\n';
  let buffer = '';
  let text = '';
  let firstTokenMs = -1;
  for await (const bytes of response.body as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(bytes, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf(separator)) !== -1) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + separator.length);
      const dataLine =
        vendor === 'ollama'
          ? frame
          : frame
              .split('\n')
              .find((line) => line.startsWith('data: '))
              ?.slice(6);
      if (!dataLine || dataLine === '[DONE]') continue;
      const piece = textOfEvent(vendor, JSON.parse(dataLine) as Record<string, unknown>);
      if (piece) {
        if (firstTokenMs < 0) firstTokenMs = now() - start;
        text += piece;
      }
    }
  }
  if (text !== ANSWER_TEXT) throw new Error(`direct ${vendor}: wrong text`);
  return { firstTokenMs, totalMs: now() - start };
}

const USER = '00000000-0000-4000-8000-000000000001';
const QUIET = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** The provider layer: one ProviderCascade stream, read to its finish. */
async function layered(cascade: ProviderCascade): Promise<Timing> {
  const start = now();
  let firstTokenMs = -1;
  let text = '';
  let finished = false;
  for await (const event of cascade.stream({
    messages: [{ role: 'user', content: 'hello' }],
    userId: USER,
  }) as AsyncIterable<ProviderStreamEvent>) {
    if (event.type === 'text-delta') {
      if (firstTokenMs < 0) firstTokenMs = now() - start;
      text += event.text;
    } else if (event.type === 'finish') finished = true;
    else if (event.type === 'error') throw event.error;
  }
  if (!finished || text !== ANSWER_TEXT) throw new Error('layered: incomplete answer');
  return { firstTokenMs, totalMs: now() - start };
}

function cascadeFor(
  fake: FakeServer,
  vendor: ProviderName,
  usage: UsageStore,
  tune: (settings: ProviderSettings) => ProviderSettings = (settings) => settings,
): ProviderCascade {
  const apiKey = KEYS[vendor];
  const settings = tune(
    resolveProviderSettings({
      order: [vendor],
      apiKeys: apiKey ? { [vendor]: new Secret(apiKey) } : {},
      baseUrls: { [vendor]: fake.baseUrl(vendor) },
    }),
  );
  return new ProviderCascade(settings, createProviderAdapters(settings), usage, { logger: QUIET });
}

/** Alternates the clients request by request, so drift hits all alike; samples[i] belongs to runs[i]. */
async function interleaved(count: number, runs: (() => Promise<Timing>)[]): Promise<Timing[][]> {
  for (let i = 0; i < WARMUP; i++) for (const run of runs) await run();
  const samples = runs.map((): Timing[] => []);
  for (let i = 0; i < count; i++) for (const [index, run] of runs.entries()) samples[index].push(await run());
  return samples;
}

/** The OpenAI adapter's SDK model alone (doStream read to its end): to tell the SDK's cost from the cascade's. */
function sdkAlone(fake: FakeServer): () => Promise<Timing> {
  const model = createOpenAI({ apiKey: KEYS.openai, baseURL: fake.baseUrl('openai') }).chat('gpt-4.1-mini');
  return async () => {
    const start = now();
    const { stream } = await model.doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }] });
    let firstTokenMs = -1;
    for await (const part of stream) {
      if (part.type === 'text-delta' && firstTokenMs < 0) firstTokenMs = now() - start;
    }
    return { firstTokenMs, totalMs: now() - start };
  };
}

async function concurrently(
  total: number,
  concurrency: number,
  run: () => Promise<Timing>,
): Promise<{ totals: number[]; seconds: number }> {
  const totals: number[] = [];
  let started = 0;
  const begin = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started++;
        totals.push((await run()).totalMs);
      }
    }),
  );
  return { totals, seconds: (now() - begin) / 1000 };
}

const median = (values: number[]) => percentile(values, 50);

function comparisonRows(label: string, directTimings: Timing[], layerTimings: Timing[], sdkTimings?: Timing[]): Row[] {
  const rows: Row[] = [];
  for (const [phase, pick] of [
    ['first token', (timing: Timing) => timing.firstTokenMs],
    ['whole answer', (timing: Timing) => timing.totalMs],
  ] as const) {
    const baseline = directTimings.map(pick);
    const ours = layerTimings.map(pick);
    const added = round(median(ours) - median(baseline));
    rows.push(row(`${label} ${phase}: direct fetch`, baseline));
    if (sdkTimings) {
      const sdk = sdkTimings.map(pick);
      rows.push(row(`${label} ${phase}: AI SDK doStream alone`, sdk, { addedMedianMs: round(median(sdk) - median(baseline)) }));
    }
    rows.push(
      row(`${label} ${phase}: provider layer`, ours, {
        addedMedianMs: added,
        addedP95Ms: round(percentile(ours, 95) - percentile(baseline, 95)),
        target: added <= TARGET_ADDED_MS,
      }),
    );
  }
  return rows;
}

/** Streams/s of each client against the direct one's; the clients take turns in rounds, so load from elsewhere hits them alike. */
async function concurrentRows(runs: { name: string; run: () => Promise<Timing>; target: boolean }[]): Promise<Row[]> {
  for (const { run } of runs) await concurrently(CONCURRENCY * 2, CONCURRENCY, run);
  const totals = runs.map((): number[] => []);
  const seconds = runs.map(() => 0);
  const perRound = Math.ceil(CONCURRENT_TOTAL / CONCURRENT_ROUNDS);
  for (let roundIndex = 0; roundIndex < CONCURRENT_ROUNDS; roundIndex++) {
    for (const [index, { run }] of runs.entries()) {
      const result = await concurrently(perRound, CONCURRENCY, run);
      totals[index].push(...result.totals);
      seconds[index] += result.seconds;
    }
  }
  const perSecond = runs.map((_, index) => round(totals[index].length / seconds[index], 0));
  return runs.map(({ name, target }, index) => {
    const share = round(perSecond[index] / perSecond[0], 2);
    return row(`openai ×${CONCURRENCY} concurrent, whole answer: ${name}`, totals[index], {
      streamsPerSec: perSecond[index],
      ofDirect: share,
      ...(target ? { target: share >= TARGET_CONCURRENT_SHARE } : {}),
    });
  });
}

async function main(): Promise<void> {
  const fake = await startFakeProcess();
  const cluster = await startPostgresCluster();
  const rows: Row[] = [];
  const notes: string[] = [];
  let dataSource: DataSource | undefined;
  const stores: BatchedUsageStore[] = [];
  let recorded = 0;
  try {
    const url = cluster.url();
    await migrateUp({ url, embedded: false });
    dataSource = await new DataSource(createDataSourceOptions({ url, embedded: false })).initialize();
    await dataSource.query(`INSERT INTO users (id, username, password_hash, role) VALUES ($1, 'bench', 'x', 'operator')`, [USER]);
    const repository = new UsageRepository(dataSource);
    const batched = () => {
      const store = new BatchedUsageStore(repository, QUIET);
      stores.push(store);
      return store;
    };
    const counted = (cascade: ProviderCascade) => async () => {
      const timing = await layered(cascade);
      recorded++;
      return timing;
    };

    for (const vendor of PROTOCOLS) {
      const pgLayer = counted(cascadeFor(fake, vendor, batched()));
      if (vendor === 'openai') {
        const memCascade = cascadeFor(fake, vendor, new InMemoryUsageStore());
        const [baseline, pg, memory, sdk] = await interleaved(REQUESTS, [
          () => direct(fake, vendor),
          pgLayer,
          () => layered(memCascade),
          sdkAlone(fake),
        ]);
        rows.push(...comparisonRows(`${vendor} (usage in PostgreSQL)`, baseline, pg));
        rows.push(...comparisonRows(`${vendor} (usage in memory)`, baseline, memory, sdk));
      } else {
        const [baseline, pg] = await interleaved(REQUESTS, [() => direct(fake, vendor), pgLayer]);
        rows.push(...comparisonRows(`${vendor} (usage in PostgreSQL)`, baseline, pg));
      }
    }

    // A user budget enforced: each request first reserves its estimate in one transaction under the budget's advisory lock.
    const withBudget = (settings: ProviderSettings): ProviderSettings => ({
      ...settings,
      budget: { ...settings.budget, userMicroDollars: 1e15 },
    });
    const budgetLayer = counted(cascadeFor(fake, 'openai', batched(), withBudget));
    const [baseline, ours] = await interleaved(REQUESTS, [() => direct(fake, 'openai'), budgetLayer]);
    rows.push(...comparisonRows('openai (usage in PostgreSQL, budget enforced)', baseline, ours));

    const pgConcurrent = counted(cascadeFor(fake, 'openai', batched()));
    const memConcurrent = cascadeFor(fake, 'openai', new InMemoryUsageStore());
    rows.push(
      ...(await concurrentRows([
        { name: 'direct fetch', run: () => direct(fake, 'openai'), target: false },
        { name: 'provider layer, usage in PostgreSQL', run: pgConcurrent, target: true },
        { name: 'provider layer, usage in memory', run: () => layered(memConcurrent), target: false },
      ])),
    );

    // Every answer of the PostgreSQL rows must be in usage_records once its batch is written.
    await Promise.all(stores.map((store) => store.close()));
    const [{ requests }] = await dataSource.query<{ requests: string }[]>(
      `SELECT coalesce(sum(requests), 0)::text AS requests FROM usage_records`,
    );
    if (Number(requests) !== recorded) throw new Error(`usage_records counts ${requests} requests, the bench made ${recorded}`);
    notes.push(`usage_records holds all ${recorded} answers of the PostgreSQL rows after the last batch.`);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    await dataSource?.destroy();
    await cluster.stop();
    fake.stop();
  }

  notes.push(
    `${REQUESTS} sequential requests per row after ${WARMUP} warm-up rounds, the clients alternating request by request; answers of ${CHUNKS.length} chunks (${ANSWER_TEXT.length} characters).`,
    `Usage in PostgreSQL: the server's BatchedUsageStore (records queued, written in batches every 50 ms or 200 rows); the budget-enforced row adds the synchronous admission transaction.`,
    'AI SDK doStream alone: @ai-sdk/openai read to its end without the cascade; the difference to the provider layer is the cascade (retries, circuit, timers, pricing, usage, events).',
    `Concurrent rows: ${CONCURRENT_TOTAL} streams per client, ${CONCURRENCY} in flight, in ${CONCURRENT_ROUNDS} rounds taken in turn; samples are whole-answer latencies under that load; ofDirect = streams/s ÷ the direct client's.`,
    `The fake server runs in its own process; this machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.`,
    `Targets: whole-answer median added latency ≤ ${TARGET_ADDED_MS} ms with usage in PostgreSQL (addedMedianMs; target = met); ≥ ${TARGET_CONCURRENT_SHARE * 100} % of the direct client's streams/s at ${CONCURRENCY} concurrent streams.`,
  );
  report('providers', rows, notes);
}

(process.argv.includes('--fake-server') ? serveFake() : main()).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
