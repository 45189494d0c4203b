import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type AppConfig, ConfigModule, loadConfig } from '@aegis/config';
import { ErrorCode, Role } from '@aegis/contracts';
import { createDataSourceOptions } from '@aegis/database';
import { AuditLog } from '@aegis/governance';
import { createTestDatabase } from '@aegis/testing';
import {
  type ArgumentsHost,
  type CanActivate,
  Catch,
  Controller,
  type ExceptionFilter,
  type ExecutionContext,
  Get,
  Global,
  HttpCode,
  Module,
  Post,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Response } from 'express';
import { Redis } from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuthException } from '../auth.exception';
import type { AuthenticatedRequest } from '../principal';
import { SecurityEvents } from '../security-events';
import { RedisCounterStore } from './counter-store';
import { LoginAttemptLimiter } from './login-attempts';
import { RateLimit } from './rate-limit.guard';
import { RateLimitModule } from './rate-limit.module';

// ---------------------------------------------------------------------------------------------
// A throw-away redis-server per test file: a unix socket for the stores, a loopback port for
// REDIS_URL (the configuration accepts only redis:// URLs).

interface RedisServer {
  socket: string;
  url: string;
  stop(): Promise<void>;
}

function findRedisServer(): string {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/usr/local/bin', '/usr/sbin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    'redis-server not found on PATH or in /usr/bin, /usr/local/bin: install it (Debian: redis-server). ' +
      'The rate-limit integration tests need a real Redis and never skip.',
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(socket: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`redis-server exited during start:\n${output()}`);
    // Connect only once the socket exists: a refused ioredis connection leaves a timer behind.
    if (!existsSync(socket)) {
      if (Date.now() > deadline) throw new Error(`redis-server did not open ${socket} in 10 s\n${output()}`);
      await sleep(20);
      continue;
    }
    const client = new Redis({ path: socket, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer in 10 s: ${String(error)}\n${output()}`);
      await sleep(50);
    } finally {
      client.disconnect();
    }
  }
}

async function startRedisServer(): Promise<RedisServer> {
  const binary = findRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'aegis-redis-'));
  const socket = join(dir, 'redis.sock');
  const port = await freePort();
  let log = '';
  const server = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    await waitUntilReady(socket, server, () => log);
  } catch (error) {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    socket,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const connect = (server: RedisServer): Redis => new Redis({ path: server.socket });

// ---------------------------------------------------------------------------------------------

describe('RedisCounterStore on a real redis-server', () => {
  let server: RedisServer;
  let admin: Redis;
  let stores: RedisCounterStore[] = [];

  const newStore = (): RedisCounterStore => {
    const store = new RedisCounterStore(connect(server));
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    admin = connect(server);
  });

  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
    stores = [];
    await admin.flushall();
  });

  afterAll(async () => {
    await admin?.quit();
    await server?.stop();
  });

  it('counts hits under aegis:rl: with the window set by the first hit only', async () => {
    const store = newStore();
    const first = await store.hit('k', 60);
    expect(first.count).toBe(1);
    expect(first.resetInMs).toBeGreaterThan(59_000);
    expect(first.resetInMs).toBeLessThanOrEqual(60_000);
    await sleep(120);
    const second = await store.hit('k', 60);
    expect(second.count).toBe(2);
    expect(second.resetInMs).toBeLessThanOrEqual(first.resetInMs - 100);

    expect(await admin.keys('*')).toEqual(['aegis:rl:k']);
    expect(await admin.get('aegis:rl:k')).toBe('2');
    expect(await admin.pttl('aegis:rl:k')).toBeGreaterThan(58_000);
    const peeked = await store.peek('k');
    expect(peeked.count).toBe(2);
    expect(peeked.resetInMs).toBeGreaterThan(58_000);
    await expect(store.peek('absent')).resolves.toEqual({ count: 0, resetInMs: 0 });
  });

  it('starts a new window when the old one expires, and resets on demand', async () => {
    const store = newStore();
    await store.hit('short', 0.2);
    await store.hit('short', 0.2);
    await sleep(300);
    await expect(store.peek('short')).resolves.toEqual({ count: 0, resetInMs: 0 });
    expect((await store.hit('short', 0.2)).count).toBe(1);

    await store.hit('other', 60);
    await store.reset('short');
    await expect(store.peek('short')).resolves.toEqual({ count: 0, resetInMs: 0 });
    expect((await store.peek('other')).count).toBe(1);
  });

  it('gives a key left without expiry a window instead of counting forever', async () => {
    await admin.set('aegis:rl:stuck', '7');
    const window = await newStore().hit('stuck', 30);
    expect(window.count).toBe(8);
    expect(window.resetInMs).toBe(30_000);
    expect(await admin.pttl('aegis:rl:stuck')).toBeGreaterThan(29_000);
  });

  it('shares counters between instances (several API processes), atomically', async () => {
    const [a, b] = [newStore(), newStore()];
    const windows = await Promise.all(Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? a : b).hit('shared', 60)));
    expect(windows.map((window) => window.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    expect((await b.peek('shared')).count).toBe(50);
    await a.reset('shared');
    expect((await b.peek('shared')).count).toBe(0);
  });

  it('closes its connection', async () => {
    const client = connect(server);
    const store = new RedisCounterStore(client);
    await store.hit('k', 60);
    await store.close();
    expect(client.status).toBe('end');
    await store.close();
  });
});

// ---------------------------------------------------------------------------------------------

/** Stands in for the API's auth guard: a global guard that sets the principal from a test header. */
class TestPrincipalGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers['x-test-principal'];
    if (typeof header !== 'string') return true;
    const [kind, id] = header.split(':');
    request.principal =
      kind === 'key'
        ? { kind: 'api_key', userId: 'owner-of-keys', username: 'ci', role: Role.Operator, apiKeyId: id }
        : { kind: 'user', userId: id, username: `user-${id.slice(0, 8)}`, role: Role.Operator, sessionId: randomUUID() };
    return true;
  }
}

/** The API's filter lives in apps/api; this one keeps what the test checks: status, Retry-After, code. */
@Catch(AuthException)
class AuthExceptionTestFilter implements ExceptionFilter {
  catch(exception: AuthException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    response.status(exception.code === ErrorCode.RateLimited ? 429 : 500).json({ code: exception.code, message: exception.message });
  }
}

@Controller()
class ProbeController {
  @Post('tools/:name/execute')
  @HttpCode(200)
  @RateLimit('tools')
  execute(): { ok: true } {
    return { ok: true };
  }

  @Post('auth/register')
  @HttpCode(201)
  @RateLimit('register')
  register(): { ok: true } {
    return { ok: true };
  }

  @Get('open')
  open(): { ok: true } {
    return { ok: true };
  }
}

/** Every route of this controller shares one `chat` budget. */
@Controller('chat')
@RateLimit('chat')
class ChatProbeController {
  @Post('messages')
  @HttpCode(200)
  send(): { ok: true } {
    return { ok: true };
  }

  @Post('runs/cancel')
  @HttpCode(200)
  cancel(): { ok: true } {
    return { ok: true };
  }

  /** The handler's name wins over the controller's, and the request is counted once. */
  @Post('tool-call')
  @HttpCode(200)
  @RateLimit('tools')
  toolCall(): { ok: true } {
    return { ok: true };
  }
}

async function startApp(config: AppConfig, dataSource: DataSource): Promise<NestExpressApplication> {
  @Global()
  @Module({ providers: [{ provide: SecurityEvents, useValue: new SecurityEvents(new AuditLog(dataSource)) }], exports: [SecurityEvents] })
  class SecurityEventsModule {}

  @Module({
    imports: [ConfigModule.forRoot(config), SecurityEventsModule, RateLimitModule],
    controllers: [ProbeController, ChatProbeController],
    providers: [
      { provide: APP_GUARD, useClass: TestPrincipalGuard },
      { provide: APP_FILTER, useClass: AuthExceptionTestFilter },
    ],
  })
  class TestRoot {}

  const app = await NestFactory.create<NestExpressApplication>(TestRoot, { logger: false });
  await app.init();
  return app;
}

interface AuditRow {
  actor_type: string;
  actor_id: string | null;
  decision: string;
  args: Record<string, unknown>;
  ip: string | null;
  user_agent: string | null;
}

describe('@RateLimit and LoginAttemptLimiter in a Nest app on Redis and PostgreSQL', () => {
  let server: RedisServer;
  let admin: Redis;
  let dataSource: DataSource;
  let config: AppConfig;
  let first: NestExpressApplication;
  let second: NestExpressApplication;

  /** Audit entries are append-only (a trigger refuses DELETE): each test reads only those written after it began. */
  let auditMark = '0';
  const rateLimitedRows = () =>
    dataSource.query<AuditRow[]>(
      `SELECT actor_type, actor_id, decision, args, ip, user_agent FROM audit_entries WHERE action = 'auth.rate_limited' AND id > $1 ORDER BY id`,
      [auditMark],
    );
  /** Connections the stores opened (they name themselves aegis-rate-limit). */
  const rateLimitClients = async (): Promise<number> => {
    const list = await admin.client('LIST');
    if (typeof list !== 'string') throw new Error('CLIENT LIST did not answer with text');
    return list.split('\n').filter((line) => line.includes('name=aegis-rate-limit')).length;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    admin = connect(server);
    dataSource = await new DataSource(createDataSourceOptions({ url: await createTestDatabase(), embedded: false })).initialize();
    config = loadConfig({ LOG_LEVEL: 'silent', REDIS_URL: server.url, RATE_LIMIT_TOOLS: '2/60', RATE_LIMIT_CHAT: '3/60' });
    // Two instances on one Redis, as when several API processes run side by side.
    first = await startApp(config, dataSource);
    second = await startApp(config, dataSource);
  });

  beforeEach(async () => {
    await admin.flushall();
    const [last] = await dataSource.query<{ id: string | null }[]>('SELECT max(id)::text AS id FROM audit_entries');
    auditMark = last?.id ?? '0';
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await dataSource?.destroy();
    await admin?.quit();
    await server?.stop();
  });

  it("refuses a user's 3rd tools call with 429, Retry-After and RATE_LIMITED; other callers keep their budget", async () => {
    const alice = `user:${randomUUID()}`;
    const execute = (app: NestExpressApplication, principal: string) =>
      request(app.getHttpServer()).post('/tools/ls/execute').set('x-test-principal', principal).set('user-agent', 'probe/1');

    await execute(first, alice).expect(200, { ok: true });
    // Another route name (`:name`) under the same limit, on the other instance: one budget.
    await request(second.getHttpServer()).post('/tools/cat/execute').set('x-test-principal', alice).expect(200);
    const refused = await execute(first, alice).expect(429);
    expect(refused.body).toEqual({ code: ErrorCode.RateLimited, message: expect.stringMatching(/^Too many requests; try again in \d+ seconds?$/) as unknown });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers).not.toHaveProperty('x-ratelimit-limit-tools');
    await execute(second, alice).expect(429);

    await execute(first, `user:${randomUUID()}`).expect(200);
    await execute(first, `key:${randomUUID()}`).expect(200);
    await request(first.getHttpServer()).get('/open').set('x-test-principal', alice).expect(200);

    const rows = await rateLimitedRows();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ actor_type: 'user', actor_id: alice.slice('user:'.length), decision: 'refused', args: { limit: 'tools' }, user_agent: 'probe/1' });
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

    const rows = await rateLimitedRows();
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
    const single = await startApp(loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_TOOLS: '1/60' }), dataSource);
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

  it('limits failed sign-ins across instances and records the refusal', async () => {
    const [limiterA, limiterB] = [first.get(LoginAttemptLimiter), second.get(LoginAttemptLimiter)];
    for (let attempt = 0; attempt < 5; attempt++) {
      const limiter = attempt % 2 === 0 ? limiterA : limiterB;
      await limiter.assertAllowed('192.0.2.10', 'Dana');
      await limiter.recordFailure('192.0.2.10', 'Dana');
    }
    const refusal = await limiterB.assertAllowed('192.0.2.10', 'dana', 'browser/2').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(AuthException);
    expect(refusal).toMatchObject({ code: ErrorCode.RateLimited });
    expect((refusal as AuthException).retryAfterSeconds).toBeGreaterThan(0);
    await expect(limiterA.assertAllowed('192.0.2.11', 'dana')).resolves.toBeUndefined();

    await limiterA.recordSuccess('192.0.2.10', 'DANA');
    await expect(limiterB.assertAllowed('192.0.2.10', 'dana')).resolves.toBeUndefined();
    expect(JSON.stringify(await admin.keys('*'))).not.toMatch(/dana|192\.0\.2/i);

    expect(await rateLimitedRows()).toEqual([
      { actor_type: 'anonymous', actor_id: null, decision: 'refused', args: { limit: 'login', username: 'dana' }, ip: '192.0.2.10', user_agent: 'browser/2' },
    ]);
  });

  it('closes its Redis connection when the application closes', async () => {
    const third = await startApp(config, dataSource);
    await request(third.getHttpServer()).post('/tools/ls/execute').set('x-test-principal', `user:${randomUUID()}`).expect(200);
    const before = await rateLimitClients();
    await third.close();
    for (let poll = 0; poll < 50 && (await rateLimitClients()) >= before; poll++) await sleep(20);
    expect(await rateLimitClients()).toBe(before - 1);
  });
});
