import { AdminBootstrapService } from '@aegis/auth';
import type { ErrorBody } from '@aegis/contracts';
import { createTestDatabase, testConfig } from '@aegis/testing';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AppModule } from '../app/app.module';
import { configureApp } from '../app/configure-app';
import { type BrowserSession, cookieHeader, sessionOf } from '../testing/http-session';
import { MemoryHttpModule } from './memory-http.module';

const ADMIN_PASSWORD = 'admin-password-for-tests';
const USER_PASSWORD = 'correct horse battery staple';
const errorOf = (response: request.Response): ErrorBody => response.body as ErrorBody;

interface Item {
  id: string;
  kind: string;
  content: string;
  source: string | null;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

describe('/api/memory against PostgreSQL', () => {
  let app: NestExpressApplication;
  let alice: BrowserSession;
  let bob: BrowserSession;
  const http = () => request(app.getHttpServer());
  const send = (session: BrowserSession, method: 'post' | 'delete', path: string) =>
    http()[method](path).set('Cookie', cookieHeader(session)).set('X-CSRF-Token', session.csrf);
  const get = async (session: BrowserSession, path: string): Promise<Page> =>
    (await http().get(path).set('Cookie', cookieHeader(session)).expect(200)).body as Page;

  async function signIn(username: string, password: string): Promise<BrowserSession> {
    return sessionOf(await http().post('/api/auth/login').send({ username, password }).expect(200));
  }

  beforeAll(async () => {
    const config = testConfig({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD });
    @Module({ imports: [AppModule.forRoot(config, { url: await createTestDatabase(), embedded: false }), MemoryHttpModule] })
    class TestRoot {}
    app = await NestFactory.create<NestExpressApplication>(TestRoot, { bodyParser: false, logger: false });
    configureApp(app, config);
    await app.init();
    await app.get(AdminBootstrapService).ensureAdmin();
    const admin = await signIn('root', ADMIN_PASSWORD);
    for (const username of ['alice', 'bob']) {
      await send(admin, 'post', '/api/users').send({ username, password: USER_PASSWORD, role: 'viewer' }).expect(201);
    }
    alice = await signIn('alice', USER_PASSWORD);
    bob = await signIn('bob', USER_PASSWORD);
  });

  afterAll(() => app.close());

  it('saves a fact and finds it by a later search', async () => {
    const saved = (await send(alice, 'post', '/api/memory').send({ content: 'My team deploys on Tuesdays' }).expect(201)).body as Item;
    expect(saved).toMatchObject({ kind: 'fact', content: 'My team deploys on Tuesdays', source: null });
    await send(alice, 'post', '/api/memory').send({ content: 'I prefer tea' }).expect(201);
    const found = await get(alice, '/api/memory?q=when%20do%20we%20deploy');
    expect(found).toEqual({ items: [expect.objectContaining({ id: saved.id })], nextCursor: null });
  });

  it('lists newest first, paged with a cursor', async () => {
    const first = await get(alice, '/api/memory?limit=1');
    expect(first.items.map((item) => item.content)).toEqual(['I prefer tea']);
    const second = await get(alice, `/api/memory?limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    expect(second.items.map((item) => item.content)).toEqual(['My team deploys on Tuesdays']);
  });

  it('keeps users apart: no listing, no search hit, 404 on delete', async () => {
    const [item] = (await get(alice, '/api/memory')).items;
    expect((await get(bob, '/api/memory')).items).toEqual([]);
    expect((await get(bob, '/api/memory?q=tea')).items).toEqual([]);
    expect(errorOf(await send(bob, 'delete', `/api/memory/${item.id}`).expect(404)).code).toBe('NOT_FOUND');
    await send(alice, 'delete', `/api/memory/${item.id}`).expect(204);
    await send(alice, 'delete', `/api/memory/${item.id}`).expect(404);
  });

  it('validates ids, limits, cursors and content with 400', async () => {
    await send(alice, 'delete', '/api/memory/not-a-uuid').expect(400);
    await http().get('/api/memory?limit=1000').set('Cookie', cookieHeader(alice)).expect(400);
    expect(errorOf(await http().get('/api/memory?cursor=garbage').set('Cookie', cookieHeader(alice)).expect(400)).code).toBe(
      'VALIDATION_FAILED',
    );
    await send(alice, 'post', '/api/memory').send({ content: '' }).expect(400);
    await send(alice, 'post', '/api/memory')
      .send({ content: 'x'.repeat(4001) })
      .expect(400);
    await send(alice, 'post', '/api/memory').send({ content: 'ok', kind: 'summary' }).expect(400);
    await http().get('/api/memory').expect(401);
  });
});
