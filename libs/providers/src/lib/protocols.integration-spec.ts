import { Secret } from '@aegis/config';
import { PROVIDER_NAMES, type ProviderName } from '@aegis/contracts';
import { createDataSourceOptions } from '@aegis/database';
import { answer, createTestDatabase, embeddings, type FakeLlmRequest, type FakeLlmServer, startFakeLlmServer } from '@aegis/testing';
import { DataSource } from 'typeorm';
import { createProviderAdapters } from './adapters/create-adapters';
import { ProviderCascade } from './cascade/provider-cascade';
import type { ChatMessage, ProviderStreamEvent } from './provider.types';
import { resolveProviderSettings } from './provider-settings';
import { UsageRepository } from './usage/usage.repository';

/**
 * Every vendor through its real AI SDK package against the wire-faithful fake server, with usage
 * recorded in a real PostgreSQL: streamed text, a tool-call round trip, vision input, embeddings.
 */
const FAKE_KEYS: Record<Exclude<ProviderName, 'ollama'>, string> = {
  openai: 'sk-proj-fakeOpenAiKey0000000000000001',
  anthropic: 'sk-ant-api03-fakeAnthropicKey000000002',
  gemini: 'AIzaSyFakeGeminiKey00000000000000003',
  mistral: 'fakeMistralKey0000000000000000004',
  groq: 'gsk_fakeGroqKey00000000000000000005',
  deepseek: 'sk-fakeDeepSeekKey00000000000000006',
  moonshot: 'sk-fakeMoonshotKey00000000000000007',
};

/** What each vendor is paid for 1,200 tokens in and 340 out at its default model (the price table, worked by hand). */
const EXPECTED_COST: Record<ProviderName, number> = {
  openai: 1024, // gpt-4.1-mini: 1200 × 0.40 + 340 × 1.60
  anthropic: 8700, // claude-sonnet-4-5: 1200 × 3 + 340 × 15
  gemini: 1210, // gemini-2.5-flash: 1200 × 0.30 + 340 × 2.50
  mistral: 222, // mistral-small-latest: 1200 × 0.10 + 340 × 0.30
  groq: 977, // llama-3.3-70b-versatile: 1200 × 0.59 + 340 × 0.79 = 976.6, rounded up
  deepseek: 479, // deepseek-chat: 1200 × 0.28 + 340 × 0.42 = 478.8, rounded up
  moonshot: 1570, // kimi-k2-0905-preview: 1200 × 0.60 + 340 × 2.50
  ollama: 0,
};

function authOf(vendor: ProviderName, request: FakeLlmRequest): string | undefined {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  switch (vendor) {
    case 'anthropic':
      return header('x-api-key');
    case 'gemini':
      return header('x-goog-api-key');
    case 'ollama':
      return header('authorization');
    default:
      return header('authorization')?.replace(/^Bearer /, '');
  }
}

async function collect(events: AsyncIterable<ProviderStreamEvent>): Promise<ProviderStreamEvent[]> {
  const out: ProviderStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const textOf = (events: ProviderStreamEvent[]) => events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');

describe('provider protocols against the fake LLM server and PostgreSQL', () => {
  let fake: FakeLlmServer;
  let dataSource: DataSource;
  let userId: string;
  const conversationId = '8d1c2f0a-3b4c-4d5e-8f60-718293a4b5c6';

  function cascadeFor(vendor: ProviderName): ProviderCascade {
    const apiKeys = vendor === 'ollama' ? {} : { [vendor]: new Secret(FAKE_KEYS[vendor]) };
    const settings = resolveProviderSettings({ order: [vendor], apiKeys, baseUrls: { [vendor]: fake.baseUrl(vendor) } });
    return new ProviderCascade(settings, createProviderAdapters(settings), new UsageRepository(dataSource));
  }

  beforeAll(async () => {
    fake = await startFakeLlmServer();
    dataSource = await new DataSource(createDataSourceOptions({ url: await createTestDatabase(), embedded: false })).initialize();
    [{ id: userId }] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO users (username, password_hash, role) VALUES ('ada', 'x', 'operator') RETURNING id`,
    );
  });

  afterAll(async () => {
    await dataSource.destroy();
    await fake.close();
  });

  describe.each(PROVIDER_NAMES.map((vendor) => [vendor]))('%s', (vendor) => {
    beforeEach(() => fake.reset());

    it('streams text, authenticates with the key, and records priced usage per user, conversation and day', async () => {
      const cascade = cascadeFor(vendor);
      fake.enqueue(vendor, answer({ text: ['Hel', 'lo', ' world'], usage: { inputTokens: 1200, outputTokens: 340 } }));
      const events = await collect(cascade.stream({ messages: [{ role: 'user', content: 'say hello' }], userId, conversationId }));

      expect(events.map((event) => event.type)).toEqual(['model-selected', 'text-delta', 'text-delta', 'text-delta', 'finish']);
      expect(textOf(events)).toBe('Hello world');
      const model = cascade.status().find((status) => status.name === vendor)?.defaultModel;
      expect(events[4]).toEqual({
        type: 'finish',
        provider: vendor,
        model,
        finishReason: 'stop',
        usage: { inputTokens: 1200, outputTokens: 340 },
        costMicroDollars: EXPECTED_COST[vendor],
      });

      const [sent] = fake.requestsFor(vendor);
      expect(authOf(vendor, sent)).toBe(vendor === 'ollama' ? undefined : FAKE_KEYS[vendor]);
      expect(JSON.stringify(sent.body)).toContain('say hello');
      if (vendor === 'gemini') expect(sent).toMatchObject({ path: `/models/${model}:streamGenerateContent`, query: { alt: 'sse' } });
      else expect(sent.body).toMatchObject({ model, stream: true });
      if (vendor === 'openai') expect(sent.body).toMatchObject({ stream_options: { include_usage: true } });

      const rows = await dataSource.query<unknown[]>(
        `SELECT day::text, user_id, conversation_id, provider, model, requests, input_tokens::int, output_tokens::int, cost_micro_usd::int
           FROM usage_records WHERE provider = $1`,
        [vendor],
      );
      expect(rows).toEqual([
        {
          day: new Date().toISOString().slice(0, 10),
          user_id: userId,
          conversation_id: conversationId,
          provider: vendor,
          model,
          requests: 1,
          input_tokens: 1200,
          output_tokens: 340,
          cost_micro_usd: EXPECTED_COST[vendor],
        },
      ]);
    });

    it('makes a tool call and reads the tool result in the next turn', async () => {
      const cascade = cascadeFor(vendor);
      fake.enqueue(
        vendor,
        answer({
          toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' }, pieces: 3 }],
          usage: { inputTokens: 50, outputTokens: 12 },
        }),
        answer({ text: ['It is ', 'sunny.'], usage: { inputTokens: 80, outputTokens: 6 } }),
      );
      const tools = [
        {
          name: 'get_weather',
          description: 'Current weather in a city',
          inputSchema: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } }, required: ['city'] },
        },
      ];
      const question: ChatMessage = { role: 'user', content: 'Weather in Paris?' };

      const first = await collect(cascade.stream({ messages: [question], tools, userId }));
      const call = first.find((event) => event.type === 'tool-call');
      expect(call).toMatchObject({ type: 'tool-call', toolName: 'get_weather', input: { city: 'Paris', unit: 'celsius' } });
      expect(first[first.length - 1]).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
      if (call?.type !== 'tool-call') throw new Error('no tool call');
      expect(JSON.stringify(fake.requestsFor(vendor)[0].body)).toContain('Current weather in a city');

      const second = await collect(
        cascade.stream({
          messages: [
            question,
            {
              role: 'assistant',
              content: [{ type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input: call.input }],
            },
            {
              role: 'tool',
              content: [
                { type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, output: { forecast: 'sunny, 21 degrees' } },
              ],
            },
          ],
          tools,
          userId,
        }),
      );
      expect(textOf(second)).toBe('It is sunny.');
      const followUp = JSON.stringify(fake.requestsFor(vendor)[1].body);
      expect(followUp).toContain('sunny, 21 degrees');
      if (vendor !== 'gemini' && vendor !== 'ollama') expect(followUp).toContain(call.toolCallId);
    });
  });

  describe('vision input', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    const base64 = Buffer.from(png).toString('base64');

    it.each([
      ['openai', `data:image/png;base64,${base64}`],
      ['anthropic', `"type":"base64","media_type":"image/png","data":"${base64}"`],
      ['gemini', `"inlineData":{"mimeType":"image/png","data":"${base64}"}`],
      ['ollama', `"images":["${base64}"]`],
    ] as [ProviderName, string][])('sends an image part to %s in its own format', async (vendor, expected) => {
      fake.reset();
      fake.enqueue(vendor, answer({ text: ['A PNG header.'] }));
      const events = await collect(
        cascadeFor(vendor).stream({
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'What is this?' },
                { type: 'image', image: png, mediaType: 'image/png' },
              ],
            },
          ],
          userId,
        }),
      );
      expect(textOf(events)).toBe('A PNG header.');
      expect(JSON.stringify(fake.requestsFor(vendor)[0].body)).toContain(expected);
    });
  });

  describe('embeddings', () => {
    it.each([
      ['openai', 'text-embedding-3-small', '/embeddings', 20],
      ['gemini', 'gemini-embedding-001', '/models/gemini-embedding-001:batchEmbedContents', 0],
      ['mistral', 'mistral-embed', '/embeddings', 20],
      ['ollama', 'nomic-embed-text', '/api/embed', 20],
    ] as [ProviderName, string, string, number][])(
      'embeds with %s (%s) and records the input tokens',
      async (vendor, model, path, tokens) => {
        fake.reset();
        fake.enqueue(vendor, embeddings({ dimensions: 4, inputTokens: tokens }));
        const result = await cascadeFor(vendor).embed(['first text', 'second text'], { userId });
        expect(result).toMatchObject({ provider: vendor, model, usage: { inputTokens: tokens } });
        expect(result.embeddings).toHaveLength(2);
        expect(result.embeddings[0]).toHaveLength(4);
        expect(fake.requestsFor(vendor)[0].path).toBe(path);
        const [row] = await dataSource.query<{ input_tokens: number }[]>(
          `SELECT input_tokens::int FROM usage_records WHERE provider = $1 AND model = $2`,
          [vendor, model],
        );
        expect(row.input_tokens).toBe(tokens);
      },
    );
  });
});
