import { setTimeout as sleep } from 'node:timers/promises';
import { AdminBootstrapService } from '@aegis/auth';
import { connectRedis, createTestDatabase, type RedisServer, startRedisServer, testConfig } from '@aegis/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from '../app/create-app';
import { type BrowserSession, cookieHeader, sessionOf } from '../testing/http-session';

export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const USER_PASSWORD = 'correct horse battery staple';

/** One API instance as a client sees it: sign in, act as a browser (cookies + CSRF), or with an API key. */
export class Instance {
  constructor(readonly app: NestExpressApplication) {}

  http() {
    return request(this.app.getHttpServer());
  }

  async login(username: string, password: string): Promise<BrowserSession> {
    const response = await this.http().post('/api/auth/login').send({ username, password });
    if (response.status !== 200) throw new Error(`login ${username}: ${response.status}`);
    return sessionOf(response);
  }

  asBrowser(session: BrowserSession, method: 'get' | 'post' | 'patch' | 'delete', path: string) {
    const agent = this.http();
    const call = agent[method](path).set('Cookie', cookieHeader(session, path.startsWith('/api/auth') ? 'auth' : 'api'));
    return method === 'get' ? call : call.set('X-CSRF-Token', session.csrf);
  }

  withKey(key: string, path: string) {
    return this.http().get(path).set('Authorization', `Bearer ${key}`);
  }

  async createUser(admin: BrowserSession, username: string, role: string): Promise<string> {
    const response = await this.asBrowser(admin, 'post', '/api/users').send({ username, password: USER_PASSWORD, role }).expect(201);
    return (response.body as { id: string }).id;
  }

  async createKey(owner: BrowserSession, role: string): Promise<{ id: string; key: string }> {
    const response = await this.asBrowser(owner, 'post', '/api/api-keys')
      .send({ name: `key-${role}`, role })
      .expect(201);
    return response.body as { id: string; key: string };
  }
}

/** Two API instances on one PostgreSQL database and one redis-server, as when several API processes run side by side. */
export interface TwoApiInstances {
  first: Instance;
  second: Instance;
  stop(): Promise<void>;
}

/** Until both instances listen for invalidations: before that their caches are bypassed, and the tests would prove nothing. */
async function untilBothSubscribed(redis: RedisServer): Promise<void> {
  const client = connectRedis(redis);
  try {
    for (let attempt = 0; attempt < 250; attempt++) {
      const [, subscribers] = (await client.pubsub('NUMSUB', 'aegis:auth-cache:invalidate')) as [string, number];
      if (subscribers === 2) return;
      await sleep(20);
    }
    throw new Error('the API instances did not subscribe to auth cache invalidations');
  } finally {
    await client.quit();
  }
}

/**
 * The passport strategies are process-wide (docs/security.md "Authentication"): every request of
 * both instances is verified by `second`'s strategies and so against `second`'s cache. A change
 * made through `first` reaches that cache only through Redis; one made through `second` locally.
 */
export async function startTwoApiInstances(): Promise<TwoApiInstances> {
  const redis: RedisServer = await startRedisServer();
  const url = await createTestDatabase();
  const variables = { ADMIN_USERNAME: 'root', ADMIN_PASSWORD, RATE_LIMIT_LOGIN_IP: '1000/60', REDIS_URL: redis.url };
  const start = async () => {
    const { app } = await createApp(testConfig(variables), { url, embedded: false });
    await app.init();
    return app;
  };
  const first = await start();
  await first.get(AdminBootstrapService).ensureAdmin();
  const second = await start();
  await untilBothSubscribed(redis);
  return {
    first: new Instance(first),
    second: new Instance(second),
    stop: async () => {
      await first.close();
      await second.close();
      await redis.stop();
    },
  };
}
