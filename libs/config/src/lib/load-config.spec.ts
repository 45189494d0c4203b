import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigValidationError, loadConfig, resolveGeneratedSecrets } from './load-config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, '/srv/aegis');
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({}, '/srv/aegis');
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      host: '127.0.0.1',
      dataDir: '/srv/aegis/data',
      workspaceDir: '/srv/aegis/data/workspace',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 604800,
      admin: { username: 'admin' },
      corsOrigins: [],
      trustProxy: { mode: 'off' },
      executor: {
        mode: 'sandbox',
        driver: 'auto',
        allowDirectFallback: false,
        network: 'none',
        cpus: 0.5,
        memoryMb: 512,
        timeoutMs: 30000,
        image: 'aegis-sandbox:local',
      },
      governance: { verifyRequired: true, fourEyes: false, approvalTtlSeconds: 3600, confirmationTtlSeconds: 300 },
      providers: { order: ['ollama'], apiKeys: {}, baseUrls: {} },
      rateLimits: {
        login: { limit: 5, ttlSeconds: 60 },
        loginIp: { limit: 20, ttlSeconds: 60 },
        chat: { limit: 20, ttlSeconds: 60 },
        tools: { limit: 10, ttlSeconds: 60 },
      },
      chatMaxConcurrentRuns: 2,
      dockerSocketPath: '/var/run/docker.sock',
      uploadMaxBytes: 20 * 1024 * 1024,
      uploadQuotaBytes: 500 * 1024 * 1024,
      uploadPdf: { maxPages: 200, timeoutMs: 15_000 },
      logLevel: 'info',
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.jwtSecret).toBeUndefined();
  });

  it('reads explicit values', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        DATA_DIR: '/var/lib/aegis',
        CORS_ORIGINS: 'https://a.example.com, http://localhost:5173',
        PROVIDER_ORDER: 'openai,Anthropic,ollama',
        OPENAI_API_KEY: 'sk-test-123',
        OLLAMA_BASE_URL: 'http://127.0.0.1:11434',
        RATE_LIMIT_TOOLS: '3/10',
        VERIFY_REQUIRED: 'false',
        GOVERNANCE_FOUR_EYES: 'true',
        APPROVAL_TTL: '15m',
        CONFIRMATION_TTL: '2m',
      },
      '/srv',
    );
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe('/var/lib/aegis');
    expect(config.corsOrigins).toEqual(['https://a.example.com', 'http://localhost:5173']);
    expect(config.providers.order).toEqual(['openai', 'anthropic', 'ollama']);
    expect(config.providers.apiKeys.openai?.reveal()).toBe('sk-test-123');
    expect(config.providers.baseUrls.ollama).toBe('http://127.0.0.1:11434');
    expect(config.rateLimits.tools).toEqual({ limit: 3, ttlSeconds: 10 });
    expect(config.governance).toEqual({
      verifyRequired: false,
      fourEyes: true,
      raisedClasses: {},
      approvalTtlSeconds: 900,
      confirmationTtlSeconds: 120,
    });
  });

  it('reads GOVERNANCE_RAISE_CLASSES as tool=CLASS pairs and names each bad pair', () => {
    expect(loadConfig({ GOVERNANCE_RAISE_CLASSES: 'docker_restart=critical, git_push=SENSITIVE' }).governance.raisedClasses).toEqual({
      docker_restart: 'CRITICAL',
      git_push: 'SENSITIVE',
    });
    expect(problemsOf({ GOVERNANCE_RAISE_CLASSES: 'docker_restart=URGENT,=READ' })).toEqual([
      "GOVERNANCE_RAISE_CLASSES: 'docker_restart=URGENT' is not tool=CLASS with a class among READ, SAFE, MODERATE, SENSITIVE, CRITICAL (got 'docker_restart=URGENT,=READ')",
      "GOVERNANCE_RAISE_CLASSES: '=READ' is not tool=CLASS with a class among READ, SAFE, MODERATE, SENSITIVE, CRITICAL (got 'docker_restart=URGENT,=READ')",
    ]);
  });

  it('reads PROVIDER_DEFAULT_PRICE as input/output USD per million tokens, and the upload quota and PDF limits', () => {
    const config = loadConfig({
      PROVIDER_DEFAULT_PRICE: '2.5/10',
      UPLOAD_QUOTA_MB: '3',
      UPLOAD_PDF_MAX_PAGES: '40',
      UPLOAD_PDF_TIMEOUT_MS: '2000',
    });
    expect(config.providers.defaultPrice).toEqual({ inputPerMillion: 2.5, outputPerMillion: 10 });
    expect(config.uploadQuotaBytes).toBe(3 * 1024 * 1024);
    expect(config.uploadPdf).toEqual({ maxPages: 40, timeoutMs: 2000 });
    expect(loadConfig({}).providers.defaultPrice).toBeUndefined();
    expect(problemsOf({ PROVIDER_DEFAULT_PRICE: 'cheap' })).toEqual([
      "PROVIDER_DEFAULT_PRICE: must be input/output in USD per million tokens, e.g. 2/8 (got 'cheap')",
    ]);
  });

  it('reads CHAT_MAX_CONCURRENT_RUNS and refuses zero', () => {
    expect(loadConfig({ CHAT_MAX_CONCURRENT_RUNS: '5' }).chatMaxConcurrentRuns).toBe(5);
    expect(problemsOf({ CHAT_MAX_CONCURRENT_RUNS: '0' })).toHaveLength(1);
    expect(problemsOf({ CHAT_MAX_CONCURRENT_RUNS: '0' })[0]).toMatch(/^CHAT_MAX_CONCURRENT_RUNS: /);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      PORT: 'abc',
      CORS_ORIGINS: '*',
      ACCESS_TOKEN_TTL: 'soon',
      RATE_LIMIT_LOGIN: '5 per minute',
      PROVIDER_ORDER: 'openai,skynet',
      SANDBOX_DRIVER: 'chroot',
      DATABASE_URL: 'mysql://x',
      APPROVAL_TTL: 'an hour',
    });
    expect(problems).toHaveLength(8);
    expect(problems.join('\n')).toMatch(/^APPROVAL_TTL: must be a duration such as 30s, 15m, 12h or 7d/m);
    expect(problems.join('\n')).toMatch(/^PORT: must be a number \(got 'abc'\)$/m);
    expect(problems.join('\n')).toMatch(/CORS_ORIGINS: '\*' is refused/);
    expect(problems.join('\n')).toMatch(/PROVIDER_ORDER: unknown provider 'skynet'/);
    expect(problems.join('\n')).toMatch(/^DATABASE_URL: must be a postgres/m);
  });

  it('reads the tool allowlists and refuses malformed names', () => {
    const config = loadConfig({ DOCKER_CONTAINER_ALLOWLIST: 'web, worker,web', SYSTEMD_UNIT_ALLOWLIST: 'nginx.service' });
    expect(config.tools).toEqual({ containerAllowlist: ['web', 'worker'], systemdUnitAllowlist: ['nginx.service'], aptEnabled: false });
    expect(problemsOf({ DOCKER_CONTAINER_ALLOWLIST: 'ok,bad name;rm' })).toEqual([
      "DOCKER_CONTAINER_ALLOWLIST: 'bad name;rm' is not a container name (got 'ok,bad name;rm')",
    ]);
  });

  it('never echoes a secret value in a problem', () => {
    const problems = problemsOf({ JWT_SECRET: 'too-short-but-secret', DATABASE_URL: 'mysql://user:hunter2@db' });
    expect(problems.join('\n')).toContain('JWT_SECRET: must be at least 32 characters');
    expect(problems.join('\n')).not.toContain('too-short-but-secret');
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('refuses direct execution and direct fallback in production', () => {
    const problems = problemsOf({ NODE_ENV: 'production', EXECUTE_MODE: 'direct', ALLOW_DIRECT_FALLBACK: 'true' });
    expect(problems).toEqual([
      "EXECUTE_MODE: 'direct' is refused when NODE_ENV=production (got 'direct')",
      "ALLOW_DIRECT_FALLBACK: 'true' is refused when NODE_ENV=production (got 'true')",
    ]);
    expect(loadConfig({ NODE_ENV: 'development', EXECUTE_MODE: 'direct' }).executor.mode).toBe('direct');
  });

  it('reads TRUST_PROXY as off, a hop count or address ranges', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toEqual({ mode: 'off' });
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toEqual({ mode: 'off' });
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toEqual({ mode: 'hops', hops: 1 });
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy).toEqual({
      mode: 'ranges',
      ranges: [
        { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
        { address: '127.0.0.1', prefix: 32, family: 'ipv4' },
        { address: '::1', prefix: 128, family: 'ipv6' },
      ],
    });
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toEqual({
      mode: 'ranges',
      ranges: [
        { address: '127.0.0.0', prefix: 8, family: 'ipv4' },
        { address: '::1', prefix: 128, family: 'ipv6' },
      ],
    });
  });

  it('refuses a TRUST_PROXY that would believe anyone or is not an address', () => {
    expect(problemsOf({ TRUST_PROXY: 'true' })).toEqual([
      "TRUST_PROXY: 'true' would believe any client's X-Forwarded-For: give the number of proxies (e.g. 1) or their addresses (got 'true')",
    ]);
    expect(problemsOf({ TRUST_PROXY: '0.0.0.0/0' })).toEqual([
      "TRUST_PROXY: '0.0.0.0/0' would trust every address: list the proxies' addresses (got '0.0.0.0/0')",
    ]);
    expect(problemsOf({ TRUST_PROXY: '11' })).toEqual(["TRUST_PROXY: a hop count must be at most 10 (got '11')"]);
    const problems = problemsOf({ TRUST_PROXY: '10.0.0.0/33,proxy.local,1' });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe(
      "TRUST_PROXY: '10.0.0.0/33' is not an address, a CIDR range such as 10.0.0.0/8, or one of loopback, linklocal, uniquelocal (got '10.0.0.0/33,proxy.local,1')",
    );
  });

  it('keeps secrets out of logs, JSON and inspection', () => {
    const config = loadConfig({ JWT_SECRET: 'x'.repeat(40), OPENAI_API_KEY: 'sk-live-secret' });
    const printed = [JSON.stringify(config), inspect(config, { depth: 10 }), `${String(config.jwtSecret)}`].join('\n');
    expect(printed).not.toContain('x'.repeat(40));
    expect(printed).not.toContain('sk-live-secret');
    expect(printed).toContain('[redacted]');
    expect(config.jwtSecret?.reveal()).toBe('x'.repeat(40));
  });
});

describe('resolveGeneratedSecrets', () => {
  it('generates the JWT secret once into DATA_DIR with mode 0600 and reuses it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aegis-config-'));
    const first = resolveGeneratedSecrets(loadConfig({ DATA_DIR: dataDir }));
    const second = resolveGeneratedSecrets(loadConfig({ DATA_DIR: dataDir }));
    const file = join(dataDir, 'secrets', 'jwt-secret');
    expect(first.jwtSecret?.reveal()).toHaveLength(64);
    expect(second.jwtSecret?.reveal()).toBe(first.jwtSecret?.reveal());
    expect(readFileSync(file, 'utf8')).toBe(first.jwtSecret?.reveal());
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
