// npm run bench -- api: autocannon against the built server (dist/apps/api/main.js, on a throw-away
// PostgreSQL and on the embedded PGlite) and against a bare NestJS 11 app started in the same run
// (bench/baseline/bare-nest.ts), printing the ratios of issue 14. Targets: the authenticated list on
// PostgreSQL ≥ 50 % of the bare one-row route with p99 < 50 ms, and holding 1,000 req/s with 0 errors
// and p99 < 50 ms; PGlite ≥ 70 % of PostgreSQL; the governed READ tool ≥ 1,000 req/s at 10
// connections with p50 ≤ 5 ms and the audit chain still verifying. What is compared is measured back to back (the
// bare row just before and after the list, the PGlite list right after PostgreSQL's): a shared machine drifts.
// Knobs: BENCH_SECONDS (10), BENCH_RATE_SECONDS (60), BENCH_CPU_PROF=1 (profiles in bench/results/profiles).
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { startPostgresCluster } from '@aegis/testing';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { Cleanups, PROFILE_DIR, requireBuild, type RunningServer, startAegis, startBareNest } from './baseline/servers';
import { report, round, type TableRow } from './stats';

const SECONDS = positive('BENCH_SECONDS', 10);
const RATE_SECONDS = positive('BENCH_RATE_SECONDS', 60);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 50;
const TOOL_CONNECTIONS = 10;
const RATE = 1_000;
const CONVERSATIONS = 20;
const CPU_PROFILE = process.env['BENCH_CPU_PROF'] === '1';

function positive(variable: string, fallback: number): number {
  const text = process.env[variable];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${variable} must be a positive number of seconds (got '${text}')`);
  return value;
}

interface Scenario {
  scenario: string;
  path: string;
  method?: 'GET' | 'POST';
  body?: unknown;
  /** Sends the API key as `Authorization: Bearer`. */
  authenticated?: boolean;
  connections?: number;
  /** Requests per second over all connections (autocannon overallRate); none: as fast as possible. */
  rate?: number;
  seconds?: number;
}

interface Figures {
  scenario: string;
  database: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors and timeouts plus non-2xx answers. */
  errors: number;
  connections: number;
}

const listDirectory: Scenario = {
  scenario: 'tool list_directory',
  path: '/api/tools/list_directory/execute',
  method: 'POST',
  body: { args: { path: '.' } },
  authenticated: true,
  connections: TOOL_CONNECTIONS,
};
const health: Scenario = { scenario: 'health', path: '/api/health' };
const me: Scenario = { scenario: 'me', path: '/api/auth/me', authenticated: true };
const conversations: Scenario = { scenario: 'conversations', path: '/api/conversations', authenticated: true };
const rateScenario: Scenario = {
  scenario: `conversations @ ${RATE} req/s`,
  path: '/api/conversations',
  authenticated: true,
  rate: RATE,
  seconds: RATE_SECONDS,
};
const bareOk: Scenario = { scenario: 'bare ok', path: '/ok' };
const bareRow = (when: string): Scenario => ({ scenario: `bare row (${when})`, path: '/row' });

function headersFor(scenario: Scenario, apiKey: string | undefined): Record<string, string> {
  return {
    ...(scenario.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(scenario.authenticated && apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
  };
}

/** One request first, so a wrong set-up fails loudly instead of measuring error pages. */
async function checkOnce(url: string, scenario: Scenario, headers: Record<string, string>): Promise<void> {
  const response = await fetch(`${url}${scenario.path}`, {
    method: scenario.method ?? 'GET',
    headers,
    body: scenario.body === undefined ? undefined : JSON.stringify(scenario.body),
  });
  if (!response.ok) throw new Error(`${scenario.scenario}: ${response.status} ${await response.text()}`);
}

/** A warm-up run, then the measured one. */
async function load(server: RunningServer, database: string, scenario: Scenario, apiKey?: string): Promise<Figures> {
  const headers = headersFor(scenario, apiKey);
  await checkOnce(server.url, scenario, headers);
  const connections = scenario.connections ?? CONNECTIONS;
  const options: autocannon.Options = {
    url: `${server.url}${scenario.path}`,
    method: scenario.method ?? 'GET',
    headers,
    body: scenario.body === undefined ? undefined : JSON.stringify(scenario.body),
    connections,
    ...(scenario.rate ? { overallRate: scenario.rate } : {}),
  };
  process.stdout.write(`${database} · ${scenario.scenario}…\n`);
  await autocannon({ ...options, duration: WARMUP_SECONDS });
  const result = await autocannon({ ...options, duration: scenario.seconds ?? SECONDS });
  return {
    scenario: scenario.scenario,
    database,
    reqPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    connections,
  };
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${await response.text()}`);
}

/** Signs in as the admin (session cookie + CSRF header), mints an API key and fills the conversation list. */
async function prepare(server: RunningServer, password: string): Promise<string> {
  const json = { 'content-type': 'application/json' };
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: 'admin', password }),
  });
  await expectStatus(login, 200, 'sign-in');
  const cookies = new Map(
    login.headers.getSetCookie().map((line) => {
      const pair = line.split(';')[0];
      return [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const;
    }),
  );
  const created = await fetch(`${server.url}/api/api-keys`, {
    method: 'POST',
    headers: {
      ...json,
      cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      'x-csrf-token': cookies.get('csrf_token') ?? '',
    },
    body: JSON.stringify({ name: 'bench api' }),
  });
  await expectStatus(created, 201, 'creating the API key');
  const { key } = (await created.json()) as { key: string };
  for (let index = 0; index < CONVERSATIONS; index++) {
    const conversation = await fetch(`${server.url}/api/conversations`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${key}` },
      body: JSON.stringify({ title: `bench conversation ${index + 1}` }),
    });
    await expectStatus(conversation, 201, 'creating a conversation');
  }
  return key;
}

interface ChainCheck {
  valid: boolean;
  checked: number;
}

/** One Aegis server under test, signed in with its API key. */
interface Target {
  server: RunningServer;
  database: string;
  apiKey: string;
}

async function verifyChain({ server, apiKey, database }: Target): Promise<ChainCheck> {
  const response = await fetch(`${server.url}/api/audit/verify`, { headers: { authorization: `Bearer ${apiKey}` } });
  await expectStatus(response, 200, 'verifying the audit chain');
  const { valid, checked } = (await response.json()) as ChainCheck;
  process.stdout.write(`${database} · GET /api/audit/verify → valid: ${valid}, ${checked} entries checked\n`);
  return { valid, checked };
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0].server_version.split(/[ .]/)[0];
  } finally {
    await client.end();
  }
}

function find(figures: readonly Figures[], scenario: string, database: string): Figures {
  const found = figures.find((f) => f.scenario === scenario && f.database === database);
  if (!found) throw new Error(`no figures for ${scenario} on ${database}`);
  return found;
}

interface Verdict {
  ratio: string;
  target: string;
  met: boolean;
}

/** The mean req/s of the bare one-row route measured just before and just after the PostgreSQL list. */
function bareRowMean(figures: readonly Figures[], pg: string): number {
  return (find(figures, bareRow('before').scenario, pg).reqPerSec + find(figures, bareRow('after').scenario, pg).reqPerSec) / 2;
}

/**
 * The targets, keyed by the row each one is printed on. Each ratio compares figures taken back to back (the
 * bare row around the list, the PGlite list right after the PostgreSQL one): a shared machine drifts over minutes.
 */
function verdicts(figures: readonly Figures[], pg: string, rateFigures: Figures, chainValid: boolean): Map<Figures, Verdict> {
  const pgList = find(figures, conversations.scenario, pg);
  const pgliteList = find(figures, conversations.scenario, 'PGlite');
  const tool = find(figures, listDirectory.scenario, pg);
  const listRatio = round(pgList.reqPerSec / bareRowMean(figures, pg), 2);
  const pgliteRatio = round(pgliteList.reqPerSec / pgList.reqPerSec, 2);
  const toolRatio = round(tool.reqPerSec / RATE, 2);
  const heldRatio = round(rateFigures.reqPerSec / RATE, 2);
  return new Map<Figures, Verdict>([
    [
      pgList,
      { ratio: `${listRatio} × bare row (mean)`, target: '≥ 0.5 × bare row, p99 < 50 ms', met: listRatio >= 0.5 && pgList.p99Ms < 50 },
    ],
    [pgliteList, { ratio: `${pgliteRatio} × ${pg} list`, target: `≥ 0.7 × ${pg} list`, met: pgliteRatio >= 0.7 }],
    [
      tool,
      {
        ratio: `${toolRatio} × ${RATE} req/s`,
        target: `≥ ${RATE} req/s, p50 ≤ 5 ms, chain valid`,
        met: tool.reqPerSec >= RATE && tool.p50Ms <= 5 && chainValid,
      },
    ],
    [
      rateFigures,
      {
        ratio: `${heldRatio} × ${RATE} req/s`,
        target: `${RATE} req/s held, 0 errors, p99 < 50 ms`,
        // 1 % slack: autocannon's per-second samples start and end on partial seconds.
        met: heldRatio >= 0.99 && rateFigures.errors === 0 && rateFigures.p99Ms < 50,
      },
    ],
  ]);
}

function tableRow(figures: Figures, verdict: Verdict | undefined): TableRow {
  return {
    scenario: figures.scenario,
    database: figures.database,
    conns: figures.connections,
    'req/s': figures.reqPerSec,
    'p50 ms': figures.p50Ms,
    'p99 ms': figures.p99Ms,
    'errors/non-2xx': figures.errors,
    ...(verdict ? { ratio: verdict.ratio, target: verdict.target, met: verdict.met ? 'met' : 'MISSED' } : {}),
  };
}

async function main(cleanups: Cleanups): Promise<void> {
  requireBuild();
  const password = randomBytes(18).toString('base64url');
  const cluster = await startPostgresCluster();
  cleanups.add(() => cluster.stop());
  const pg = `PostgreSQL ${await createDatabase(cluster.url(), 'aegis_bench')}`;
  const databaseUrl = cluster.url('aegis_bench');

  // All three servers run from the start, so that what is compared is measured back to back.
  const onPostgres = await startAegis(
    { databaseUrl, adminPassword: password, cpuProfileName: CPU_PROFILE ? 'postgresql' : undefined },
    cleanups,
  );
  const onPglite = await startAegis({ adminPassword: password, cpuProfileName: CPU_PROFILE ? 'pglite' : undefined }, cleanups);
  const bare = await startBareNest(databaseUrl, cleanups);
  const targets: Target[] = [
    { server: onPostgres, database: pg, apiKey: await prepare(onPostgres, password) },
    { server: onPglite, database: 'PGlite', apiKey: await prepare(onPglite, password) },
  ];
  const [pgTarget, pgliteTarget] = targets;
  const measure = (target: Target, scenario: Scenario) => load(target.server, target.database, scenario, target.apiKey);

  const figures: Figures[] = [];
  for (const scenario of [health, me]) for (const target of targets) figures.push(await measure(target, scenario));
  figures.push(await load(bare, pg, bareRow('before')));
  figures.push(await measure(pgTarget, conversations));
  figures.push(await load(bare, pg, bareRow('after')));
  figures.push(await measure(pgliteTarget, conversations));
  figures.push(await load(bare, pg, bareOk));
  for (const target of targets) figures.push(await measure(target, listDirectory));
  const [pgChain, pgliteChain] = [await verifyChain(pgTarget), await verifyChain(pgliteTarget)];
  const rateFigures = await measure(pgTarget, rateScenario);
  figures.push(rateFigures);

  const verdictsByRow = verdicts(figures, pg, rateFigures, pgChain.valid);
  const notes = [
    `${SECONDS} s per scenario after a ${WARMUP_SECONDS} s warm-up, ${CONNECTIONS} connections unless conns says otherwise; the constant-rate run lasts ${RATE_SECONDS} s.`,
    `audit chain after the tool runs: ${pg} ${pgChain.valid ? 'valid' : 'BROKEN'} (${pgChain.checked} entries), PGlite ${pgliteChain.valid ? 'valid' : 'BROKEN'} (${pgliteChain.checked} entries).`,
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')} at the end (a busy machine makes every figure lower).`,
    ...(CPU_PROFILE
      ? [`CPU profiles: ${PROFILE_DIR}/postgresql and ${PROFILE_DIR}/pglite (CPU.*.<pid>.0.*.cpuprofile is the main thread).`]
      : []),
  ];
  await cleanups.run();
  report(
    'api',
    figures.map((f) => tableRow(f, verdictsByRow.get(f))),
    notes,
    {
      targets: [...verdictsByRow].map(([f, verdict]) => ({ scenario: f.scenario, database: f.database, ...verdict })),
      chain: { pg: pgChain, pglite: pgliteChain },
    },
  );
}

const cleanups = new Cleanups();
cleanups.onSignals();
main(cleanups).catch(async (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await cleanups.run();
  process.exit(1);
});
