import { randomUUID } from 'node:crypto';
import { loadConfig } from '@aegis/config';
import { ErrorCode } from '@aegis/contracts';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { type RateLimitedAudit, startRateLimitApp, startTwoInstances, type TwoInstances } from './testing/rate-limit-test-app';
import { setTimeout as sleep } from 'node:timers/promises';

describe('@RateLimit in a Nest app on Redis and PostgreSQL', () => {
  let instances: TwoInstances;
  let admin: Redis;
  let audit: RateLimitedAudit;
  let first: NestExpressApplication;
  let second: NestExpressApplication;

  /** Connections the stores opened (they name themselves aegis-rate-limit). */
  const rateLimitClients = async (): Promise<number> => {
    const list = await admin.client('LIST');
    if (typeof list !== 'string') throw new Error('CLIENT LIST did not answer with text');
    return list.split('\n').filter((line) => line.includes('name=aegis-rate-limit')).length;
  };

  beforeAll(async () => {
    instances = await startTwoInstances({ RATE_LIMIT_TOOLS: '2/60', RATE_LIMIT_CHAT: '3/60' });
    ({ admin, audit, first, second } = instances);
  });

  beforeEach(() => instances.reset());

  afterAll(() => instances?.stop());

  it("refuses a user's 3rd tools call with 429, Retry-After and RATE_LIMITED; other callers keep their budget", async () => {
    const alice = `user:${randomUUID()}`;
    const execute = (app: NestExpressApplication, principal: string) =>
      request(app.getHttpServer()).post('/tools/ls/execute').set('x-test-principal', principal).set('user-agent', 'probe/1');

    await execute(first, alice).expect(200, { ok: true });
    // Another route name (`:name`) under the same limit, on the other instance: one budget.
    await request(second.getHttpServer()).post('/tools/cat/execute').set('x-test-principal', alice).expect(200);
    const refused = await execute(first, alice).expect(429);
    expect(refused.body).toEqual({
      code: ErrorCode.RateLimited,
      message: expect.stringMatching(/^Too many requests; try again in \d+ seconds?$/) as unknown,
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers).not.toHaveProperty('x-ratelimit-limit-tools');
    await execute(second, alice).expect(429);

    await execute(first, `user:${randomUUID()}`).expect(200);
    await execute(first, `key:${randomUUID()}`).expect(200);
    await request(first.getHttpServer()).get('/open').set('x-test-principal', alice).expect(200);

    const rows = await audit.rows();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      actor_type: 'user',
      actor_id: alice.slice('user:'.length),
      decision: 'refused',
      args: { limit: 'tools' },
      user_agent: 'probe/1',
    });
    expect(rows[0].ip).toMatch(/127\.0\.0\.1/);
  });

  it('keeps the counters in Redis under aegis:rl: without the caller in clear', async () => {
    const id = randomUUID();
    await request(first.getHttpServer()).post('/tools/ls/execute').set('x-test-principal', `user:${id}`).expect(200);
    const keys = await admin.keys('*');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^aegis:rl:throttle:tools:[0-9a-f]{32}$/);
    expect(await admin.pttl(keys[0])).toBeGreaterThan(55_000);
  });

  it('limits API keys per key and anonymous callers per address', async () => {
    const key = `key:${randomUUID()}`;
    for (let call = 0; call < 2; call++) {
      await request(first.getHttpServer()).post('/tools/ls/execute').set('x-test-principal', key).expect(200);
    }
    await request(first.getHttpServer()).post('/tools/ls/execute').set('x-test-principal', key).expect(429);

    for (let call = 0; call < 3; call++) await request(first.getHttpServer()).post('/auth/register').expect(201);
    const refused = await request(second.getHttpServer()).post('/auth/register').expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3500);

    const rows = await audit.rows();
    expect(rows.map((row) => [row.actor_type, row.args['limit']])).toEqual([
      ['api_key', 'tools'],
      ['anonymous', 'register'],
    ]);
  });

  it('shares one chat budget across the routes of a class-level @RateLimit', async () => {
    const bob = `user:${randomUUID()}`;
    const http = request(first.getHttpServer());
    await http.post('/chat/messages').set('x-test-principal', bob).expect(200);
    await http.post('/chat/runs/cancel').set('x-test-principal', bob).expect(200);
    await http.post('/chat/messages').set('x-test-principal', bob).expect(200);
    await http.post('/chat/runs/cancel').set('x-test-principal', bob).expect(429);
    // The tools budget is separate.
    await http.post('/tools/ls/execute').set('x-test-principal', bob).expect(200);
  });

  it('applies the handler-level name once when the controller has another', async () => {
    const carol = `user:${randomUUID()}`;
    const http = request(first.getHttpServer());
    await http.post('/chat/tool-call').set('x-test-principal', carol).expect(200);
    await http.post('/chat/tool-call').set('x-test-principal', carol).expect(200);
    await http.post('/chat/tool-call').set('x-test-principal', carol).expect(429);
    const keys = await admin.keys('*');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^aegis:rl:throttle:tools:/);
    expect(await admin.get(keys[0])).toBe('3');
    await http.post('/chat/messages').set('x-test-principal', carol).expect(200);
  });

  it('works on the memory store when REDIS_URL is not set', async () => {
    const single = await startRateLimitApp(loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_TOOLS: '1/60' }), instances.dataSource);
    try {
      const dave = `user:${randomUUID()}`;
      await request(single.getHttpServer()).post('/tools/ls/execute').set('x-test-principal', dave).expect(200);
      const refused = await request(single.getHttpServer()).post('/tools/ls/execute').set('x-test-principal', dave).expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(59);
      expect(await admin.keys('*')).toEqual([]);
    } finally {
      await single.close();
    }
  });

  it('never limits a route without @RateLimit', async () => {
    for (let call = 0; call < 30; call++) await request(first.getHttpServer()).get('/open').expect(200);
    expect(await admin.keys('*')).toEqual([]);
  });

  it('closes its Redis connection when the application closes', async () => {
    const third = await startRateLimitApp(instances.config, instances.dataSource);
    await request(third.getHttpServer()).post('/tools/ls/execute').set('x-test-principal', `user:${randomUUID()}`).expect(200);
    const before = await rateLimitClients();
    await third.close();
    for (let poll = 0; poll < 50 && (await rateLimitClients()) >= before; poll++) await sleep(20);
    expect(await rateLimitClients()).toBe(before - 1);
  });
});
