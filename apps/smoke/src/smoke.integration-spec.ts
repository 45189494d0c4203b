import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answer, createTestDatabase, type FakeLlmServer, freePort, startFakeLlmServer } from '@aegis/testing';
import {
  ADMIN,
  type BuiltAegis,
  createApiKey,
  listItems,
  requireBuilt,
  runSmoke,
  SMOKE_MAIN,
  startBuiltAegis,
} from './testing/built-aegis';

const CHECKS = ['health', 'identity', 'tool catalogue', 'governed read tool', 'approval', 'chat'];
const STACK_FRAME = /\n\s+at /;

/** Each testcase of a JUnit file: its name and what it holds (failure, skipped or output). */
function testcases(xml: string): { name: string; body: string }[] {
  return [...xml.matchAll(/<testcase classname="aegis\.smoke" name="([^"]+)" time="\d+\.\d{3}">([\s\S]*?)<\/testcase>/g)].map((match) => ({
    name: match[1] ?? '',
    body: match[2] ?? '',
  }));
}

describe('the built smoke client against the built server', () => {
  let fake: FakeLlmServer;
  let server: BuiltAegis;
  let adminKey: string;
  let operatorKey: string;
  let junitDir: string;

  beforeAll(async () => {
    requireBuilt();
    fake = await startFakeLlmServer();
    fake.setDefault('openai', answer({ text: ['pong'] }));
    server = await startBuiltAegis({
      DATABASE_URL: await createTestDatabase(),
      PROVIDER_ORDER: 'openai',
      OPENAI_API_KEY: 'sk-smoke-0123456789abcdef',
      OPENAI_BASE_URL: fake.baseUrl('openai'),
      RATE_LIMIT_LOGIN_IP: '1000/60',
    });
    adminKey = await createApiKey(server.url, 'admin');
    operatorKey = await createApiKey(server.url, 'operator');
    junitDir = mkdtempSync(join(tmpdir(), 'aegis-smoke-junit-'));
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await fake?.close();
    if (junitDir) rmSync(junitDir, { recursive: true, force: true });
  });

  it('passes every check with an admin key, an admin sign-in and --chat, leaves nothing behind, and writes the JUnit file', async () => {
    const junit = join(junitDir, 'reports', 'all-good.xml');
    const result = await runSmoke(['--url', `${server.url}/`, '--chat', '--junit', junit], {
      AEGIS_API_KEY: adminKey,
      AEGIS_ADMIN_USERNAME: ADMIN.username,
      AEGIS_ADMIN_PASSWORD: ADMIN.password,
    });
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toContain(`Aegis smoke test of ${server.url}\n`);
    expect(result.stdout).toContain('6 passed, 0 failed, 0 skipped');
    expect(result.stdout).toMatch(/✔ health +\d+ ms {2}ready: database up\n/);
    expect(result.stdout).toContain(`the key acts as ${ADMIN.username}, role admin`);
    expect(result.stdout).toContain('"pong"');
    expect(result.stdout).not.toContain('\u001b['); // not a terminal: no colours

    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="aegis-smoke" tests="6" failures="0" errors="0" skipped="0"/,
    );
    const cases = testcases(xml);
    expect(cases.map((testcase) => testcase.name)).toEqual(CHECKS);
    for (const testcase of cases) expect(testcase.body).toMatch(/^\s*<system-out>[^<]+<\/system-out>\s*$/);

    // The approval request ended rejected, never ran, and the chat's conversation is gone.
    expect(await listItems(`${server.url}/api/approvals?status=pending`, adminKey)).toEqual([]);
    expect(await listItems(`${server.url}/api/approvals?status=rejected`, adminKey)).toEqual([
      expect.objectContaining({
        tool: 'execute_command',
        status: 'rejected',
        actionId: null,
        decidedBy: expect.objectContaining({ name: ADMIN.username }) as unknown,
      }),
    ]);
    expect(await listItems(`${server.url}/api/conversations`, adminKey)).toEqual([]);
    expect(fake.requestsFor('openai').length).toBeGreaterThan(0);
  });

  it('skips the approval check, and says why, for an operator key without an admin sign-in', async () => {
    const result = await runSmoke(['--url', server.url], { AEGIS_API_KEY: operatorKey });
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toContain('4 passed, 0 failed, 1 skipped');
    expect(result.stdout).toMatch(
      /○ approval\s+skipped {2}needs an admin API key to see pending approvals \(this key's role is operator\)/,
    );
    expect(result.stdout).toContain('action record completed (the audit API needs an admin key)');
  });

  it('exits 1 with a readable reason when the API key is refused (run from a copy of the bundle outside the repository)', async () => {
    const junit = join(junitDir, 'wrong-key.xml');
    const copy = join(junitDir, 'aegis-smoke.js');
    copyFileSync(SMOKE_MAIN, copy);
    const result = await runSmoke(['--url', server.url, '--junit', junit], { AEGIS_API_KEY: 'aegis_this-key-does-not-exist' }, copy);
    expect(result).toMatchObject({ status: 1, stderr: '' });
    expect(result.stdout).toContain('✘ identity');
    expect(result.stdout).toContain('the API key was refused (401 UNAUTHENTICATED: Sign in or present a valid API key)');
    expect(result.stdout).toContain('A check failed (exit code 1).');
    expect(result.stdout).not.toMatch(STACK_FRAME);
    const cases = testcases(readFileSync(junit, 'utf8'));
    expect(cases.find((testcase) => testcase.name === 'identity')?.body).toContain('<failure message="the API key was refused (401');
    expect(cases.find((testcase) => testcase.name === 'approval')?.body).toContain(
      '<skipped message="needs the tool catalogue check, which was skipped"/>',
    );
  });

  it('exits 2 when nothing answers at the URL', async () => {
    const closedPort = await freePort();
    const result = await runSmoke(['--url', `http://127.0.0.1:${closedPort}`], { AEGIS_API_KEY: adminKey });
    expect(result.status).toBe(2);
    expect(result.stdout).toContain(`cannot reach http://127.0.0.1:${closedPort}/api/health/ready: connection refused`);
    expect(result.stdout).toContain('The server cannot be reached (exit code 2).');
    expect(result.stdout).not.toMatch(STACK_FRAME);
  });

  it('exits 2 on bad arguments, naming each problem', async () => {
    const missing = await runSmoke([]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--url (or AEGIS_URL) is required');
    expect(missing.stderr).toContain('an API key is required: set AEGIS_API_KEY (or pass --api-key)');

    const wrong = await runSmoke(['--url', 'ftp://example.org', '--timeout', 'soon'], { AEGIS_API_KEY: adminKey });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--url: must be http:// or https:// (got ftp:)');
    expect(wrong.stderr).toContain("--timeout: must be a number of seconds above 0 and at most 3600 (got 'soon')");

    const unknown = await runSmoke(['--url', server.url, '--verbose'], { AEGIS_API_KEY: adminKey });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--verbose'");
    expect(`${missing.stderr}${wrong.stderr}${unknown.stderr}`).not.toMatch(STACK_FRAME);
  });
});
