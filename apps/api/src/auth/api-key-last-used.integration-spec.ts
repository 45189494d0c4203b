import { setTimeout as sleep } from 'node:timers/promises';
import { AdminBootstrapService } from '@aegis/auth';
import { createDataSourceOptions } from '@aegis/database';
import { createTestDatabase, testConfig } from '@aegis/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../app/create-app';
import { cookieHeader, sessionOf } from '../testing/http-session';

const ADMIN_PASSWORD = 'admin-password-for-tests';

/** last_used_at is coarse (docs/security.md "API keys"): a key's first use is written soon, later ones within the minute, the last one on close. */
describe('API key last_used_at', () => {
  let app: NestExpressApplication;
  let reader: DataSource;

  const lastUsed = async (id: string): Promise<Date | null> => {
    const [row] = await reader.query<{ last_used_at: Date | null }[]>('SELECT last_used_at FROM api_keys WHERE id = $1', [id]);
    return row.last_used_at;
  };

  beforeAll(async () => {
    const url = await createTestDatabase();
    ({ app } = await createApp(testConfig({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD }), { url, embedded: false }));
    await app.init();
    await app.get(AdminBootstrapService).ensureAdmin();
    reader = await new DataSource(createDataSourceOptions({ url, embedded: false })).initialize();
  });

  afterAll(() => reader.destroy());

  it('writes the first use off the request, holds later ones for the interval, and writes the last one on close', async () => {
    const http = () => request(app.getHttpServer());
    const admin = sessionOf(await http().post('/api/auth/login').send({ username: 'root', password: ADMIN_PASSWORD }).expect(200));
    const created = await http()
      .post('/api/api-keys')
      .set('Cookie', cookieHeader(admin))
      .set('X-CSRF-Token', admin.csrf)
      .send({ name: 'ci', role: 'viewer' })
      .expect(201);
    const { id, key } = created.body as { id: string; key: string };
    expect(await lastUsed(id)).toBeNull();

    await http().get('/api/auth/me').set('Authorization', `Bearer ${key}`).expect(200);
    let first: Date | null = null;
    for (let waited = 0; first === null && waited < 5_000; waited += 20) {
      await sleep(20);
      first = await lastUsed(id);
    }
    expect(first).not.toBeNull();

    await sleep(20);
    await http().get('/api/auth/me').set('Authorization', `Bearer ${key}`).expect(200);
    await sleep(200);
    expect(await lastUsed(id)).toEqual(first);

    await app.close();
    expect((await lastUsed(id))?.getTime()).toBeGreaterThan(first?.getTime() ?? Infinity);
  });
});
