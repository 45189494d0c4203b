import { createDataSourceOptions } from '@aegis/database';
import { ProviderCascade, type ProviderStreamEvent } from '@aegis/providers';
import { answer, createTestDatabase, type FakeLlmServer, startFakeLlmServer, testConfig } from '@aegis/testing';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../app/app.module';
import { ProvidersHttpModule } from './providers-http.module';

/** Usage is written in batches (BatchedUsageStore); a graceful stop of the app writes what is still queued. */
describe('usage records when the API stops', () => {
  let fake: FakeLlmServer;

  beforeAll(async () => {
    fake = await startFakeLlmServer();
  });

  afterAll(() => fake.close());

  it('writes every answer’s usage before the database connection closes', async () => {
    const url = await createTestDatabase();
    const config = testConfig({
      PROVIDER_ORDER: 'openai',
      OPENAI_API_KEY: 'sk-proj-shutdownTestKey000000000',
      OPENAI_BASE_URL: fake.baseUrl('openai'),
    });
    @Module({ imports: [AppModule.forRoot(config, { url, embedded: false }), ProvidersHttpModule] })
    class TestRoot {}
    const app = await NestFactory.create(TestRoot, { logger: false });
    await app.init();
    fake.setDefault('openai', answer({ text: ['counted'], usage: { inputTokens: 1_000, outputTokens: 250 } }));
    const cascade = app.get(ProviderCascade);
    const [{ id: userId }] = await app
      .get(DataSource)
      .query<{ id: string }[]>(`INSERT INTO users (username, password_hash, role) VALUES ('uma', 'x', 'operator') RETURNING id`);
    const ask = async () => {
      const events: ProviderStreamEvent[] = [];
      for await (const event of cascade.stream({ messages: [{ role: 'user', content: 'hi' }], userId })) events.push(event);
      return events;
    };
    const answers = await Promise.all(Array.from({ length: 25 }, ask));
    expect(answers.every((events) => events.at(-1)?.type === 'finish')).toBe(true);
    await app.close();

    const reader = await new DataSource(createDataSourceOptions({ url, embedded: false })).initialize();
    try {
      const rows = await reader.query<{ requests: number; input_tokens: string; output_tokens: string; cost: string }[]>(
        `SELECT requests, input_tokens::text, output_tokens::text, cost_micro_usd::text AS cost FROM usage_records`,
      );
      // gpt-4.1-mini: $0.40/M in, $1.60/M out → 800 µ$ an answer.
      expect(rows).toEqual([{ requests: 25, input_tokens: '25000', output_tokens: '6250', cost: '20000' }]);
    } finally {
      await reader.destroy();
    }
  });
});
