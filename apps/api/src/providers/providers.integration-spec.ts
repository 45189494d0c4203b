import { inspect } from 'node:util';
import { AdminBootstrapService } from '@aegis/auth';
import type { ErrorBody } from '@aegis/contracts';
import { ProviderCascade, type ProviderStreamEvent } from '@aegis/providers';
import { answer, createTestDatabase, failure, type FakeLlmServer, startFakeLlmServer, testConfig } from '@aegis/testing';
import type { LoggerService } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AppModule } from '../app/app.module';
import { configureApp } from '../app/configure-app';
import { type BrowserSession, cookieHeader, sessionOf } from '../testing/http-session';
import { ProvidersHealthIndicator } from './providers.health';
import { ProvidersHttpModule } from './providers-http.module';
import type { ProviderListDto, UsageReportDto } from './providers.dto';
import type { UsageTimeseriesDto } from './usage-timeseries.dto';

const ADMIN_PASSWORD = 'admin-password-for-provider-tests';
const USER_PASSWORD = 'correct horse battery staple';
const OPENAI_KEY = 'sk-proj-httpTestOpenAiKey000000000aaaa';
const ANTHROPIC_KEY = 'sk-ant-api03-httpTestAnthropicKey00bbbb';
const METRICS_TOKEN = 'metrics-token-for-provider-tests';

/** Everything Nest logs while the app runs (the cascade logs through Nest's Logger). */
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

const errorOf = (response: request.Response): ErrorBody => response.body as ErrorBody;

async function drain(events: AsyncIterable<ProviderStreamEvent>): Promise<ProviderStreamEvent[]> {
  const out: ProviderStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('GET /api/providers and GET /api/usage against PostgreSQL and the fake LLM server', () => {
  const logs = new CapturedLogs();
  let fake: FakeLlmServer;
  let app: NestExpressApplication;
  let admin: BrowserSession;
  let viewer: BrowserSession;
  let viewerId: string;
  let adminId: string;
  const http = () => request(app.getHttpServer());
  const asSession = (session: BrowserSession, path: string) => http().get(path).set('Cookie', cookieHeader(session));

  async function login(username: string, password: string): Promise<BrowserSession> {
    const response = await http().post('/api/auth/login').send({ username, password }).expect(200);
    return sessionOf(response);
  }

  beforeAll(async () => {
    fake = await startFakeLlmServer();
    const config = testConfig({
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD,
      RATE_LIMIT_LOGIN_IP: '100/60',
      PROVIDER_ORDER: 'openai,anthropic,ollama',
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: fake.baseUrl('openai'),
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: fake.baseUrl('anthropic'),
      OLLAMA_BASE_URL: fake.baseUrl('ollama'),
      METRICS_TOKEN: METRICS_TOKEN,
    });
    @Module({ imports: [AppModule.forRoot(config, { url: await createTestDatabase(), embedded: false }), ProvidersHttpModule] })
    class TestRoot {}
    app = await NestFactory.create<NestExpressApplication>(TestRoot, { bodyParser: false, logger: logs });
    configureApp(app, config);
    await app.init();
    await app.get(AdminBootstrapService).ensureAdmin();
    admin = await login('root', ADMIN_PASSWORD);
    adminId = ((await asSession(admin, '/api/auth/me').expect(200)).body as { id: string }).id;
    const created = await http()
      .post('/api/users')
      .set('Cookie', cookieHeader(admin))
      .set('X-CSRF-Token', admin.csrf)
      .send({ username: 'vera', password: USER_PASSWORD, role: 'viewer' })
      .expect(201);
    viewerId = (created.body as { id: string }).id;
    viewer = await login('vera', USER_PASSWORD);
  });

  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  describe('GET /api/providers', () => {
    it('needs a signed-in caller', async () => {
      expect(errorOf(await http().get('/api/providers').expect(401)).code).toBe('UNAUTHENTICATED');
    });

    it('shows a viewer every provider’s state and no key field at all', async () => {
      const response = await asSession(viewer, '/api/providers').expect(200);
      const { items } = response.body as ProviderListDto;
      expect(items.map((item) => item.name)).toEqual([
        'openai',
        'anthropic',
        'gemini',
        'mistral',
        'groq',
        'deepseek',
        'moonshot',
        'ollama',
      ]);
      expect(items[0]).toMatchObject({
        name: 'openai',
        configured: true,
        position: 0,
        circuit: 'closed',
        reachable: true,
        defaultModel: 'gpt-4.1-mini',
        embeddingModel: 'text-embedding-3-small',
      });
      expect(items.find((item) => item.name === 'gemini')).toMatchObject({ configured: false, position: null, reachable: null });
      expect(items.every((item) => !('key' in item))).toBe(true);
      expect(response.text).not.toContain(OPENAI_KEY);
      expect(response.text).not.toContain(ANTHROPIC_KEY);
    });

    it('shows an admin the keys masked, never whole', async () => {
      const response = await asSession(admin, '/api/providers').expect(200);
      const { items } = response.body as ProviderListDto;
      expect(items.find((item) => item.name === 'openai')?.key).toBe('sk-…aaaa');
      expect(items.find((item) => item.name === 'anthropic')?.key).toBe('sk-…bbbb');
      expect(items.find((item) => item.name === 'ollama')?.key).toBeNull();
      expect(response.text).not.toContain(OPENAI_KEY.slice(3, -4));
      expect(response.text).not.toContain(ANTHROPIC_KEY.slice(3, -4));
    });
  });

  describe('GET /api/usage', () => {
    beforeAll(async () => {
      const cascade = app.get(ProviderCascade);
      const ask = (userId: string) => ({ messages: [{ role: 'user' as const, content: 'hi' }], userId });
      fake.enqueue(
        'openai',
        answer({ text: ['a'], usage: { inputTokens: 1_000, outputTokens: 100 } }),
        answer({ text: ['b'], usage: { inputTokens: 2_000, outputTokens: 200 } }),
      );
      await drain(cascade.stream(ask(adminId)));
      await drain(cascade.stream(ask(viewerId)));
      // OpenAI fails for good: the viewer's next question is answered by Anthropic.
      fake.enqueue('openai', failure(401, { message: `Incorrect API key provided: ${OPENAI_KEY}` }));
      fake.enqueue('anthropic', answer({ text: ['c'], usage: { inputTokens: 500, outputTokens: 50 } }));
      const events = await drain(cascade.stream(ask(viewerId)));
      expect(events[0]).toMatchObject({ type: 'model-selected', provider: 'anthropic' });
    });

    it('is for admins only', async () => {
      expect(errorOf(await asSession(viewer, '/api/usage').expect(403)).code).toBe('FORBIDDEN');
    });

    it('sums tokens and cost by day, user and provider by default, biggest cost first', async () => {
      const response = await asSession(admin, '/api/usage').expect(200);
      const report = response.body as UsageReportDto;
      const today = new Date().toISOString().slice(0, 10);
      expect(report.groupBy).toEqual(['day', 'user', 'provider']);
      expect(report.to).toBe(today);
      // anthropic claude-sonnet-4-5: 500 × 3 + 50 × 15 = 2,250 µ$; openai gpt-4.1-mini: 2,000 × 0.4 + 200 × 1.6 = 1,120 and 1,000 × 0.4 + 100 × 1.6 = 560.
      expect(report.items).toEqual([
        {
          day: today,
          userId: viewerId,
          username: 'vera',
          provider: 'anthropic',
          requests: 1,
          inputTokens: 500,
          outputTokens: 50,
          costMicroDollars: 2250,
          costUsd: 0.00225,
        },
        {
          day: today,
          userId: viewerId,
          username: 'vera',
          provider: 'openai',
          requests: 1,
          inputTokens: 2000,
          outputTokens: 200,
          costMicroDollars: 1120,
          costUsd: 0.00112,
        },
        {
          day: today,
          userId: adminId,
          username: 'root',
          provider: 'openai',
          requests: 1,
          inputTokens: 1000,
          outputTokens: 100,
          costMicroDollars: 560,
          costUsd: 0.00056,
        },
      ]);
      expect(report.totals).toEqual({ requests: 3, inputTokens: 3500, outputTokens: 350, costMicroDollars: 3930, costUsd: 0.00393 });
      expect(report.truncated).toBe(false);
    });

    it('filters by user, provider and model, groups as asked, and limits the rows', async () => {
      const byUser = (await asSession(admin, `/api/usage?userId=${viewerId}&groupBy=provider,model`).expect(200)).body as UsageReportDto;
      expect(byUser.items.map((item) => [item.provider, item.model])).toEqual([
        ['anthropic', 'claude-sonnet-4-5'],
        ['openai', 'gpt-4.1-mini'],
      ]);
      const openai = (await asSession(admin, '/api/usage?provider=openai&model=gpt-4.1-mini&groupBy=user').expect(200))
        .body as UsageReportDto;
      expect(openai.totals.costMicroDollars).toBe(1680);
      const limited = (await asSession(admin, '/api/usage?groupBy=user&limit=1').expect(200)).body as UsageReportDto;
      expect(limited.items).toHaveLength(1);
      expect(limited.truncated).toBe(true);
      const past = (await asSession(admin, '/api/usage?from=2020-01-01&to=2020-01-31').expect(200)).body as UsageReportDto;
      expect(past.items).toEqual([]);
      expect(past.totals.requests).toBe(0);
    });

    it('draws the same usage as a time series, with no budget lines when none is set', async () => {
      const report = (await asSession(admin, '/api/usage/timeseries?groupBy=provider').expect(200)).body as UsageTimeseriesDto;
      expect(report.series.map((series) => [series.key, series.totals.costMicroDollars])).toEqual([
        ['anthropic', 2250],
        ['openai', 1680],
      ]);
      expect(report.totals.costMicroDollars).toBe(3930);
      expect(report.budgets).toMatchObject({ globalMicroDollars: null, perUserMicroDollars: null, period: 'month', mode: 'enforce' });
    });

    it.each([
      ['from=2026-13-01', 'from must be a real calendar day'],
      ['from=2026-02-30', 'from must be a real calendar day'],
      ['to=yesterday', 'to must be a day like 2026-03-31'],
      ['userId=42', 'userId must be a UUID'],
      ['provider=skynet', 'provider must be one of the following values'],
      ['groupBy=day,planet', 'groupBy accepts day, user, provider, model, conversation'],
      ['limit=0', 'limit must not be less than 1'],
      ['limit=5000', 'limit must not be greater than 1000'],
      ['limit=many', 'limit must be an integer number'],
      ['model=x%3BDROP%20TABLE', 'model may contain letters'],
      ['sort=cost', 'property sort should not exist'],
      ['from=2024-01-01&to=2026-01-01', 'the range may span at most 366 days'],
      ['from=2026-03-02&to=2026-03-01', 'from must not be after to'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (query, message) => {
      const response = await asSession(admin, `/api/usage?${query}`).expect(400);
      expect(errorOf(response).code).toBe('VALIDATION_FAILED');
      expect(errorOf(response).message).toContain(message);
    });
  });

  it('exports provider metrics on /metrics, labelled without keys', async () => {
    const response = await http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(response.text).toContain('aegis_provider_answers_total{provider="openai",model="gpt-4.1-mini"} 2');
    expect(response.text).toContain('aegis_provider_tokens_total{provider="anthropic",model="claude-sonnet-4-5",direction="input"} 500');
    expect(response.text).toContain('aegis_provider_cost_microdollars_total{provider="anthropic",model="claude-sonnet-4-5"} 2250');
    expect(response.text).toContain('aegis_provider_attempt_failures_total{provider="openai",reason="authentication"} 1');
    expect(response.text).toContain('aegis_provider_circuit_state{provider="openai",state="closed"} 1');
    expect(response.text).not.toContain(OPENAI_KEY);
    expect(response.text).not.toContain(ANTHROPIC_KEY);
  });

  it('offers /api/health an indicator with each circuit and no key', () => {
    const result = app.get(ProvidersHealthIndicator).check();
    expect(result).toEqual({ providers: { status: 'up', circuits: { openai: 'closed', anthropic: 'closed', ollama: 'closed' } } });
  });

  it('has written no key into any log line', () => {
    expect(logs.lines.some((line) => line.includes('openai attempt 1 failed: openai: key refused, HTTP 401'))).toBe(true);
    const everything = logs.lines.join('\n');
    expect(everything).not.toContain(OPENAI_KEY);
    expect(everything).not.toContain(ANTHROPIC_KEY);
  });
});
