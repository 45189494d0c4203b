import type { ApiComponents } from '@aegis/contracts';
import { ProviderCascade } from '@aegis/providers';
import { answer, type FakeLlmServer, startFakeLlmServer } from '@aegis/testing';
import request from 'supertest';
import { governanceOverHttp, JUSTIFICATION } from '../governance/governance.fixture';
import {
  alertExpressions,
  dashboardExpressions,
  metricNamesIn,
  parseScrape,
  readRepoFile,
  type Scrape,
  sampleOf,
} from './testing/exposition';

// /metrics of the whole API against PostgreSQL, the bubblewrap sandbox and the fake LLM server: after a governed
// READ command, a refused call, an approval left pending and then rejected, and one provider answer, the series the
// dashboard and the alerts read exist with sane values; and every metric deploy/ names is one a real scrape exposes.

const METRICS_TOKEN = 'metrics-token-for-metrics-tests';
/** Series Prometheus makes itself for every target; no server exposes them. */
const MADE_BY_PROMETHEUS = new Set(['up']);

type Executed = ApiComponents['schemas']['ExecutedActionDto'];

describe('/metrics after governed tool calls, an approval and a provider answer', () => {
  const gov = governanceOverHttp({ container: false });
  let fake: FakeLlmServer;
  let approvalId: string;

  const scrape = async (): Promise<Scrape> => {
    const response = await request(gov.app.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    return parseScrape(response.text);
  };

  beforeAll(async () => {
    fake = await startFakeLlmServer();
    await gov.start();
    await gov.restart({
      METRICS_TOKEN,
      PROVIDER_ORDER: 'openai',
      OPENAI_API_KEY: 'sk-proj-metricsTestOpenAiKey0000000cccc',
      OPENAI_BASE_URL: fake.baseUrl('openai'),
    });

    const executed = await gov.post('operator', '/api/tools/execute_command/execute', { args: { command: 'ls' } }).expect(200);
    expect((executed.body as Executed).result).toMatchObject({ status: 'completed', output: { exitCode: 0 } });
    await gov.post('viewer', '/api/tools/no_such_tool/execute', { args: {} }).expect(404);
    approvalId = await gov.requestApproval('operator', { args: { command: 'python3 record.py metrics' }, justification: JUSTIFICATION });

    fake.enqueue('openai', answer({ text: ['hello'], usage: { inputTokens: 1_200, outputTokens: 30 } }));
    const userId = ((await gov.get('operator', '/api/auth/me').expect(200)).body as { id: string }).id;
    for await (const _event of gov.app.get(ProviderCascade).stream({ messages: [{ role: 'user', content: 'hi' }], userId })) {
      // drained: the answer is counted when the stream ends
    }
  });
  afterAll(async () => {
    await gov.close();
    await fake.close();
  });

  it('counts tool calls by tool and outcome, never by who or with what', async () => {
    const metrics = await scrape();
    expect(sampleOf(metrics, 'aegis_tool_calls_total', { tool: 'execute_command', outcome: 'completed' })).toBe(1);
    expect(sampleOf(metrics, 'aegis_tool_calls_total', { tool: 'execute_command', outcome: 'pending_approval' })).toBe(1);
    expect(sampleOf(metrics, 'aegis_tool_calls_total', { tool: 'unknown', outcome: 'refused' })).toBe(1);
    const text = [...metrics.samples.keys()].join('\n');
    for (const secret of ['no_such_tool', 'record.py', approvalId, 'operator', METRICS_TOKEN]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('counts the sandbox run with its driver, outcome and duration', async () => {
    const metrics = await scrape();
    expect(sampleOf(metrics, 'aegis_sandbox_runs_total', { driver: 'bwrap', outcome: 'ok' })).toBe(1);
    expect(sampleOf(metrics, 'aegis_sandbox_run_duration_seconds_count', { driver: 'bwrap' })).toBe(1);
    const seconds = sampleOf(metrics, 'aegis_sandbox_run_duration_seconds_sum', { driver: 'bwrap' }) ?? 0;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(60);
  });

  it('counts audit appends: the run, the refusal and the approval request were written, none failed', async () => {
    const metrics = await scrape();
    // At least: the run's start and outcome, the refusal, the pending request (and the sign-ins before them).
    expect(sampleOf(metrics, 'aegis_audit_appends_total', { outcome: 'written' })).toBeGreaterThanOrEqual(4);
    expect(sampleOf(metrics, 'aegis_audit_appends_total', { outcome: 'failed' })).toBe(0);
  });

  it('shows the provider answer: tokens, cost, circuit', async () => {
    const metrics = await scrape();
    const model = [...metrics.samples.keys()].find((key) => key.startsWith('aegis_provider_answers_total{provider="openai"'));
    expect(model).toBeDefined();
    expect(metrics.samples.get(model ?? '')).toBe(1);
    const tokens = [...metrics.samples].filter(([key]) => key.startsWith('aegis_provider_tokens_total{provider="openai"'));
    expect(tokens.map(([key, value]) => [key.replace(/.*direction="(\w+)".*/, '$1'), value]).sort()).toEqual([
      ['input', 1_200],
      ['output', 30],
    ]);
    expect(sampleOf(metrics, 'aegis_provider_circuit_state', { provider: 'openai', state: 'closed' })).toBe(1);
    expect(sampleOf(metrics, 'aegis_provider_circuit_state', { provider: 'openai', state: 'open' })).toBe(0);
  });

  it('reads the approvals waiting from the database at each scrape: one, then none once rejected', async () => {
    const waiting = await scrape();
    expect(sampleOf(waiting, 'aegis_approvals_pending')).toBe(1);
    const age = sampleOf(waiting, 'aegis_approvals_oldest_pending_age_seconds') ?? -1;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(3600);

    await gov.post('root', `/api/approvals/${approvalId}/reject`, { reason: 'not now' }).expect(200);
    const none = await scrape();
    expect(sampleOf(none, 'aegis_approvals_pending')).toBe(0);
    expect(sampleOf(none, 'aegis_approvals_oldest_pending_age_seconds')).toBe(0);
  });

  it('times requests by route pattern and status', async () => {
    const metrics = await scrape();
    const route = '/api/tools/:name/execute';
    expect(sampleOf(metrics, 'http_request_duration_seconds_count', { method: 'POST', route, status_code: '200' })).toBe(1);
    expect(sampleOf(metrics, 'http_request_duration_seconds_count', { method: 'POST', route, status_code: '202' })).toBe(1);
  });

  it('exposes every metric the Grafana dashboard queries', async () => {
    const metrics = await scrape();
    const named = dashboardExpressions(JSON.parse(readRepoFile('deploy/grafana/aegis-dashboard.json'))).flatMap(metricNamesIn);
    expect(named.length).toBeGreaterThan(20);
    expect([...new Set(named)].filter((name) => !metrics.names.has(name) && !MADE_BY_PROMETHEUS.has(name))).toEqual([]);
  });

  it('exposes every metric the alert rules read', async () => {
    const metrics = await scrape();
    const named = alertExpressions(readRepoFile('deploy/prometheus/alerts.yml')).flatMap(metricNamesIn);
    expect(named.length).toBeGreaterThanOrEqual(10);
    expect([...new Set(named)].filter((name) => !metrics.names.has(name) && !MADE_BY_PROMETHEUS.has(name))).toEqual([]);
  });
});
