import { AdminBootstrapService } from '@aegis/auth';
import type { ApiComponents, ErrorBody } from '@aegis/contracts';
import { ProviderCascade, type ProviderStreamEvent, UsageRepository, utcDay } from '@aegis/providers';
import { answer, createTestDatabase, type FakeLlmServer, startFakeLlmServer, testConfig } from '@aegis/testing';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AppModule } from '../app/app.module';
import { configureApp } from '../app/configure-app';
import { type BrowserSession, cookieHeader, sessionOf } from '../testing/http-session';
import { ProvidersHttpModule } from './providers-http.module';

// GET /api/usage/timeseries: day buckets from what the fake LLM server reported (through the real
// cascade and its usage recorder), a usage row of an earlier day, and the budgets configured here.

type Timeseries = ApiComponents['schemas']['UsageTimeseriesDto'];
type ProviderList = ApiComponents['schemas']['ProviderListDto'];

const ADMIN_PASSWORD = 'admin-password-for-usage-chart-tests';
const USER_PASSWORD = 'correct horse battery staple';
const DAY_MS = 86_400_000;
const errorOf = (response: request.Response): ErrorBody => response.body as ErrorBody;

async function drain(events: AsyncIterable<ProviderStreamEvent>): Promise<ProviderStreamEvent[]> {
  const out: ProviderStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('GET /api/usage/timeseries against PostgreSQL and the fake LLM server', () => {
  let fake: FakeLlmServer;
  let app: NestExpressApplication;
  let admin: BrowserSession;
  let operator: BrowserSession;
  let adminId: string;
  let operatorId: string;
  const today = utcDay(new Date());
  const twoDaysAgo = utcDay(new Date(Date.now() - 2 * DAY_MS));
  const http = () => request(app.getHttpServer());
  const asSession = (session: BrowserSession, path: string) => http().get(path).set('Cookie', cookieHeader(session));
  const series = async (query: string): Promise<Timeseries> =>
    (await asSession(admin, `/api/usage/timeseries${query}`).expect(200)).body as Timeseries;

  async function login(username: string, password: string): Promise<BrowserSession> {
    return sessionOf(await http().post('/api/auth/login').send({ username, password }).expect(200));
  }

  beforeAll(async () => {
    fake = await startFakeLlmServer();
    const config = testConfig({
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD,
      RATE_LIMIT_LOGIN_IP: '100/60',
      PROVIDER_ORDER: 'openai,anthropic',
      OPENAI_API_KEY: 'sk-proj-usageChartTestKey00000000cccc',
      OPENAI_BASE_URL: fake.baseUrl('openai'),
      ANTHROPIC_API_KEY: 'sk-ant-api03-usageChartTestKey000dddd',
      ANTHROPIC_BASE_URL: fake.baseUrl('anthropic'),
      PROVIDER_BUDGET_GLOBAL_USD: '25',
      PROVIDER_BUDGET_USER_USD: '2.5',
      PROVIDER_BUDGET_PERIOD: 'day',
    });
    @Module({ imports: [AppModule.forRoot(config, { url: await createTestDatabase(), embedded: false }), ProvidersHttpModule] })
    class TestRoot {}
    app = await NestFactory.create<NestExpressApplication>(TestRoot, { bodyParser: false, logger: false });
    configureApp(app, config);
    await app.init();
    await app.get(AdminBootstrapService).ensureAdmin();
    admin = await login('root', ADMIN_PASSWORD);
    adminId = ((await asSession(admin, '/api/auth/me').expect(200)).body as { id: string }).id;
    const created = await http()
      .post('/api/users')
      .set('Cookie', cookieHeader(admin))
      .set('X-CSRF-Token', admin.csrf)
      .send({ username: 'otto', password: USER_PASSWORD, role: 'operator' })
      .expect(201);
    operatorId = (created.body as { id: string }).id;
    operator = await login('otto', USER_PASSWORD);

    const cascade = app.get(ProviderCascade);
    const ask = (userId: string, provider?: 'anthropic') => ({
      messages: [{ role: 'user' as const, content: 'hi' }],
      userId,
      provider,
      fallback: provider ? false : undefined,
    });
    fake.enqueue(
      'openai',
      answer({ text: ['a'], usage: { inputTokens: 1_000, outputTokens: 100 } }),
      answer({ text: ['b'], usage: { inputTokens: 2_000, outputTokens: 200 } }),
    );
    fake.enqueue('anthropic', answer({ text: ['c'], usage: { inputTokens: 500, outputTokens: 50 } }));
    await drain(cascade.stream(ask(adminId)));
    await drain(cascade.stream(ask(operatorId)));
    await drain(cascade.stream(ask(operatorId, 'anthropic')));
    // An earlier day, through the same recorder the cascade uses.
    await app.get(UsageRepository).add({
      day: twoDaysAgo,
      userId: operatorId,
      conversationId: null,
      provider: 'openai',
      model: 'gpt-4.1-mini',
      inputTokens: 10_000,
      outputTokens: 1_000,
      costMicroDollars: 5_600,
    });
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('is for admins only and needs a session', async () => {
    expect(errorOf(await http().get('/api/usage/timeseries').expect(401)).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await asSession(operator, '/api/usage/timeseries').expect(403)).code).toBe('FORBIDDEN');
  });

  it('answers the last 30 days by provider, every day present, zero where nothing was used', async () => {
    const report = await series('');
    expect(report).toMatchObject({ to: today, groupBy: 'provider' });
    expect(report.days).toHaveLength(30);
    expect(report.days[29]).toBe(today);
    expect(report.series.map((each) => each.key)).toEqual(['openai', 'anthropic']);
    const openai = report.series[0];
    expect(openai.points).toHaveLength(30);
    const day = (key: string) => openai.points[report.days.indexOf(key)];
    // gpt-4.1-mini: 1,000 × 0.4 + 100 × 1.6 = 560 µ$ and 2,000 × 0.4 + 200 × 1.6 = 1,120 µ$ today.
    expect(day(today)).toEqual({ day: today, requests: 2, inputTokens: 3_000, outputTokens: 300, costMicroDollars: 1_680 });
    expect(day(twoDaysAgo)).toEqual({ day: twoDaysAgo, requests: 1, inputTokens: 10_000, outputTokens: 1_000, costMicroDollars: 5_600 });
    expect(openai.points.filter((point) => point.requests === 0)).toHaveLength(28);
    expect(openai.totals).toEqual({ requests: 3, inputTokens: 13_000, outputTokens: 1_300, costMicroDollars: 7_280, costUsd: 0.00728 });
    // claude-sonnet-4-5: 500 × 3 + 50 × 15 = 2,250 µ$.
    expect(report.series[1].totals.costMicroDollars).toBe(2_250);
    expect(report.totals).toEqual({ requests: 4, inputTokens: 13_500, outputTokens: 1_350, costMicroDollars: 9_530, costUsd: 0.00953 });
    expect(report.dailyTotals[29]).toEqual({ day: today, requests: 3, inputTokens: 3_500, outputTokens: 350, costMicroDollars: 3_930 });
  });

  it('groups by model and by user, and filters', async () => {
    const byModel = await series(`?groupBy=model&from=${twoDaysAgo}&to=${today}`);
    expect(byModel.days).toHaveLength(3);
    expect(byModel.series.map((each) => [each.key, each.label, each.provider, each.model])).toEqual([
      ['openai/gpt-4.1-mini', 'gpt-4.1-mini (openai)', 'openai', 'gpt-4.1-mini'],
      ['anthropic/claude-sonnet-4-5', 'claude-sonnet-4-5 (anthropic)', 'anthropic', 'claude-sonnet-4-5'],
    ]);
    const byUser = await series(`?groupBy=user&from=${twoDaysAgo}&to=${today}`);
    expect(byUser.series.map((each) => [each.key, each.label, each.totals.costMicroDollars])).toEqual([
      [operatorId, 'otto', 1_120 + 2_250 + 5_600],
      [adminId, 'root', 560],
    ]);
    const oneUser = await series(`?groupBy=provider&userId=${adminId}`);
    expect(oneUser.series.map((each) => [each.key, each.totals.requests])).toEqual([['openai', 1]]);
    const folded = await series('?groupBy=user&series=1');
    expect(folded.series.map((each) => [each.key, each.label])).toEqual([
      [operatorId, 'otto'],
      ['other', '1 other'],
    ]);
    expect(folded.totals.costMicroDollars).toBe(9_530);
  });

  it('carries the configured budgets for the chart to draw', async () => {
    const { budgets } = await series('');
    expect(budgets).toEqual({
      period: 'day',
      mode: 'enforce',
      periodStart: today,
      globalMicroDollars: 25_000_000,
      perUserMicroDollars: 2_500_000,
      globalSpentMicroDollars: 3_930,
      run: { maxSteps: 8, maxTokens: 60_000, deadlineMs: 600_000 },
    });
  });

  it.each([
    ['groupBy=conversation', 'groupBy must be one of provider, model, user'],
    ['groupBy=provider,model', 'groupBy must be one of provider, model, user'],
    ['from=2026-02-30', 'from must be a real calendar day'],
    ['from=2026-03-02&to=2026-03-01', 'from must not be after to'],
    ['from=2024-01-01&to=2026-01-01', 'the range may span at most 366 days'],
    ['series=0', 'series must not be less than 1'],
    ['series=51', 'series must not be greater than 50'],
    ['userId=7', 'userId must be a UUID'],
    ['limit=5', 'property limit should not exist'],
  ])('refuses %s with 400 VALIDATION_FAILED', async (query, message) => {
    const response = await asSession(admin, `/api/usage/timeseries?${query}`).expect(400);
    expect(errorOf(response).code).toBe('VALIDATION_FAILED');
    expect(errorOf(response).message).toContain(message);
  });

  it('tells an admin when each provider last answered and when its reachability was learned', async () => {
    const { items } = (await asSession(admin, '/api/providers').expect(200)).body as ProviderList;
    const openai = items.find((item) => item.name === 'openai');
    expect(openai).toMatchObject({ circuit: 'closed', reachable: true, defaultModel: 'gpt-4.1-mini', lastFailure: null });
    expect(Date.parse(openai?.lastSuccessAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(openai?.reachabilityCheckedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(items.find((item) => item.name === 'gemini')).toMatchObject({
      configured: false,
      lastSuccessAt: null,
      reachabilityCheckedAt: null,
    });
  });
});
