import { startRedisServer, testConfig, createTestDatabase, type RedisServer } from '@aegis/testing';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AppModule } from '../app/app.module';
import { configureApp } from '../app/configure-app';

/** Asks /api/health/ready until it answers `status` (Redis reconnects on its own schedule); its last body. */
async function readyBecomes(app: NestExpressApplication, status: number): Promise<unknown> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await request(app.getHttpServer()).get('/api/health/ready');
    if (response.status === status || Date.now() > deadline) {
      expect(response.status).toBe(status);
      return response.body;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('readiness with REDIS_URL (real redis-server)', () => {
  let redis: RedisServer;
  let app: NestExpressApplication;

  beforeAll(async () => {
    redis = await startRedisServer();
    const config = testConfig({ REDIS_URL: redis.url });
    @Module({ imports: [AppModule.forRoot(config, { url: await createTestDatabase(), embedded: false })] })
    class TestRoot {}
    app = await NestFactory.create<NestExpressApplication>(TestRoot, { bodyParser: false, logger: false, abortOnError: false });
    configureApp(app, config);
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('is ready with the database and Redis up, 503 naming Redis while it is stopped, ready again once it is back; live answers throughout', async () => {
    expect(await readyBecomes(app, 200)).toEqual({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' }, redis: { status: 'up' } },
    });

    const port = Number(new URL(redis.url).port);
    await redis.stop();
    expect(await readyBecomes(app, 503)).toMatchObject({
      status: 'error',
      info: { database: { status: 'up' } },
      error: { redis: { status: 'down' } },
    });
    await request(app.getHttpServer()).get('/api/health/live').expect(200, { status: 'ok' });

    redis = await startRedisServer({ port });
    expect(await readyBecomes(app, 200)).toMatchObject({ status: 'ok', details: { redis: { status: 'up' } } });
  });
});
