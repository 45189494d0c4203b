import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST_API, startBuiltServer } from '@aegis/testing';

/** The built server, as `npm start` runs it (the api:integration target builds it first). */
const MAIN = join(DIST_API, 'main.js');

describe('the built server (npm start)', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the API first (npx nx run api:build)`);
  });

  it('starts with no configuration, prints the URL and the admin password once, and keeps its data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aegis-main-'));
    chmodSync(dataDir, 0o755); // the sandbox user must reach the workspace inside it
    const first = await startBuiltServer({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    try {
      expect(first.output()).toContain(`Aegis is running at ${first.url}`);
      const password = /save it now\):\n\s+(\S+)/.exec(first.output())?.[1];
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);

      const health = await fetch(`${first.url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, sandbox: { status: 'up' } } });

      // A request carrying secrets: none of them may reach the log.
      const refused = await fetch(`${first.url}/api/does-not-exist?refreshToken=rt-secret-value`, {
        headers: { Authorization: 'Bearer aegis_super_secret_key', Cookie: 'access_token=jwt-secret-value' },
      });
      expect(refused.status).toBe(404);
      // A whole session: sign in, refresh from the JSON body, a refused replay, a failed sign-in.
      const loggedIn = await fetch(`${first.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(loggedIn.status).toBe(200);
      const cookies = Object.fromEntries(loggedIn.headers.getSetCookie().map((line) => line.split(';')[0].split('=') as [string, string]));
      const refreshed = await fetch(`${first.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: cookies['refresh_token'] }),
      });
      expect(refreshed.status).toBe(200);
      const replayed = await fetch(`${first.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: cookies['refresh_token'] }),
      });
      expect(replayed.status).toBe(401);
      await fetch(`${first.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'a-wrong-password-guess' }),
      });

      await new Promise((resolve) => setTimeout(resolve, 300));
      const log = first.output();
      expect(log).toContain('"statusCode":404');
      const jwtSecret = readFileSync(join(dataDir, 'secrets', 'jwt-secret'), 'utf8').trim();
      const secrets = [
        'aegis_super_secret_key',
        'jwt-secret-value',
        'rt-secret-value',
        jwtSecret,
        jwtSecret.slice(0, 8),
        'a-wrong-password-guess',
      ];
      for (const secret of [...secrets, cookies['access_token'], cookies['refresh_token'], cookies['csrf_token']]) {
        expect(log).not.toContain(secret);
      }
      // The generated password appears exactly once: in the first-start banner.
      expect(log.split(password ?? '').length - 1).toBe(1);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    // Blank vendor URLs, as an env file listing every variable leaves them: the vendor's default, not a crash.
    const second = await startBuiltServer({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', OPENAI_BASE_URL: '', ANTHROPIC_BASE_URL: ' ' });
    try {
      expect(second.output()).not.toContain('save it now');
      expect((await fetch(`${second.url}/api/health`)).status).toBe(200);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('refuses to start on bad configuration, listing every problem without secrets', () => {
    const result = spawnSync(process.execPath, [MAIN], {
      env: {
        PATH: process.env['PATH'] ?? '',
        PORT: 'eighty',
        CORS_ORIGINS: '*',
        JWT_SECRET: 'short-secret-value',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'aegis-bad-')),
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Aegis cannot start.');
    expect(result.stderr).toContain("PORT: must be a number (got 'eighty')");
    expect(result.stderr).toContain("CORS_ORIGINS: '*' is refused");
    expect(result.stderr).toContain('JWT_SECRET: must be at least 32 characters');
    expect(result.stderr).not.toContain('short-secret-value');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
