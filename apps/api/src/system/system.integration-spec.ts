import type { ApiComponents } from '@aegis/contracts';
import { environmentSchema } from '@aegis/config';
import { type RedisServer, startRedisServer } from '@aegis/testing';
import { startRedteamServer, type RedteamServer, REDTEAM_ADMIN_PASSWORD } from '../redteam/redteam-server';

// GET /api/system against the whole server (docs/architecture.md "System"), with distinctive
// secrets in every sensitive variable and a real redis-server with a password behind REDIS_URL:
// an admin sees the effective configuration, and no secret appears anywhere in the answer.

type System = ApiComponents['schemas']['SystemDto'];

const SECRETS = {
  JWT_SECRET: 'jwt-Zq8vKx3mN1pW7rT5yU2iO9aS4dF6gH0j',
  OPENAI_API_KEY: 'sk-proj-Hq7Lw2Xe9Rt4Yu1Io8Pa3Sd6Fg5Hj0Kl',
  ANTHROPIC_API_KEY: 'sk-ant-Mb4Nv8Cx2Zl6Kj1Hg5Fd9Sa3Qw7Er0Ty',
  METRICS_TOKEN: 'metrics-Pp9Oo8Ii7Uu6Yy5Tt4',
  databasePassword: 'dbpass-Vx5Bn2Mq8Wz3Lk7Jh',
  redisPassword: 'redispass-Gt4Rf8Ed2Ws6Qa1Zx',
};

/** Every stretch of 8 characters of each secret that may appear in the answer (none may). */
function leaks(body: string): string[] {
  const found: string[] = [];
  // The red-team admin's password is ordinary words ("password" is also a variable's name): checked whole.
  if (body.includes(REDTEAM_ADMIN_PASSWORD)) found.push('ADMIN_PASSWORD');
  for (const [name, secret] of Object.entries(SECRETS)) {
    for (let start = 0; start + 8 <= secret.length; start++) {
      if (body.includes(secret.slice(start, start + 8))) found.push(`${name}: ${secret.slice(start, start + 8)}`);
    }
  }
  return found;
}

describe('GET /api/system', () => {
  let server: RedteamServer;
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedisServer({ password: SECRETS.redisPassword });
    server = await startRedteamServer({
      env: {
        JWT_SECRET: SECRETS.JWT_SECRET,
        OPENAI_API_KEY: SECRETS.OPENAI_API_KEY,
        ANTHROPIC_API_KEY: SECRETS.ANTHROPIC_API_KEY,
        METRICS_TOKEN: SECRETS.METRICS_TOKEN,
        // Shown (masked), not used: the test server's database is given to it directly.
        DATABASE_URL: `postgres://aegis:${SECRETS.databasePassword}@db.internal:5432/aegis?sslmode=require&password=${SECRETS.databasePassword}`,
        REDIS_URL: redis.url,
        SANDBOX_MEMORY_MB: '384',
        DOCKER_CONTAINER_ALLOWLIST: 'web,worker',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  it('is for admins only', async () => {
    await server.as('opal').get('/api/system').expect(403);
    await server.as('vera').get('/api/system').expect(403);
    await server.http().get('/api/system').expect(401);
  });

  it('shows versions, the database kind, Redis, Docker, the sandbox and its limits, and uptime', async () => {
    const system = (await server.as('root').get('/api/system').expect(200)).body as System;
    expect(system.versions).toMatchObject({
      aegis: expect.stringMatching(/^\d+\.\d+\.\d+/) as string,
      node: process.version,
      nestjs: expect.stringMatching(/^11\./) as string,
      postgres: expect.stringMatching(/^PostgreSQL \d+/) as string,
    });
    expect(system.database).toEqual({
      kind: 'external',
      url: 'postgres://aegis:****@db.internal:5432/aegis?sslmode=require&password=****',
    });
    expect(system.redis).toEqual({
      enabled: true,
      reachable: true,
      url: `redis://:****@127.0.0.1:${new URL(redis.url).port}/0`,
      reason: null,
    });
    expect(system.docker).toMatchObject({ socketPath: '/var/run/docker.sock', containerAllowlist: ['web', 'worker'] });
    if (system.docker.available) expect(system.versions.docker).toBe(system.docker.version);
    else expect(system.docker.reason).toMatch(/^Docker is not reachable: /);
    expect(system.sandbox).toMatchObject({
      mode: 'sandbox',
      configuredDriver: 'bwrap',
      driver: 'bwrap',
      available: true,
      reason: null,
      image: 'aegis-sandbox:local',
      network: 'none',
      cpus: 0.5,
      memoryMb: 384,
      pidsLimit: 64,
      timeoutMs: 30000,
      maxOutputBytes: 1024 * 1024,
    });
    expect(system.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(system.startedAt)).toBeLessThanOrEqual(Date.now());
  });

  it('lists every configuration variable with its effective value, secrets masked or withheld', async () => {
    const system = (await server.as('root').get('/api/system').expect(200)).body as System;
    const byKey = new Map(system.config.map((entry) => [entry.key, entry]));
    expect([...byKey.keys()]).toEqual(Object.keys(environmentSchema.shape).sort((a, b) => a.localeCompare(b)));
    expect(byKey.get('SANDBOX_MEMORY_MB')).toEqual({ key: 'SANDBOX_MEMORY_MB', value: '384', secret: false, set: true });
    expect(byKey.get('RATE_LIMIT_TOOLS')).toEqual({ key: 'RATE_LIMIT_TOOLS', value: '1000/60', secret: false, set: true });
    expect(byKey.get('ACCESS_TOKEN_TTL')).toMatchObject({ value: '900s' });
    expect(byKey.get('DOCKER_CONTAINER_ALLOWLIST')).toMatchObject({ value: 'web,worker' });
    expect(byKey.get('WEB_DIR')).toEqual({ key: 'WEB_DIR', value: null, secret: false, set: false });
    expect(byKey.get('JWT_SECRET')).toEqual({ key: 'JWT_SECRET', value: null, secret: true, set: true });
    expect(byKey.get('ADMIN_PASSWORD')).toEqual({ key: 'ADMIN_PASSWORD', value: null, secret: true, set: true });
    expect(byKey.get('METRICS_TOKEN')).toEqual({ key: 'METRICS_TOKEN', value: null, secret: true, set: true });
    expect(byKey.get('OPENAI_API_KEY')).toEqual({ key: 'OPENAI_API_KEY', value: 'sk-…j0Kl', secret: true, set: true });
    expect(byKey.get('GEMINI_API_KEY')).toEqual({ key: 'GEMINI_API_KEY', value: null, secret: true, set: false });
    expect(byKey.get('DATABASE_URL')).toMatchObject({ value: system.database.url, secret: true, set: true });
    // The provider keys are masked exactly as GET /api/providers masks them.
    const providers = (await server.as('root').get('/api/providers').expect(200)).body as ApiComponents['schemas']['ProviderListDto'];
    expect(providers.items.find((provider) => provider.name === 'openai')?.key).toBe(byKey.get('OPENAI_API_KEY')?.value);
  });

  it('red team: no secret, nor any 8 characters of one, appears anywhere in the answer', async () => {
    const response = await server.as('root').get('/api/system').expect(200);
    expect(leaks(response.text)).toEqual([]);
    expect(leaks(JSON.stringify(response.headers))).toEqual([]);
  });

  it('says Redis is not reachable once it stops, without its password', async () => {
    await redis.stop();
    const response = await server.as('root').get('/api/system').expect(200);
    const system = response.body as System;
    expect(system.redis).toMatchObject({ enabled: true, reachable: false, url: `redis://:****@127.0.0.1:${new URL(redis.url).port}/0` });
    expect(system.redis.reason).toEqual(expect.any(String));
    expect(leaks(response.text)).toEqual([]);
  }, 20_000);
});
