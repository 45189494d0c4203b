import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import request from 'supertest';
import { ProvidersHealthIndicator } from '../providers/providers.health';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { RedisHealthIndicator } from './redis.health';
import { SandboxHealthIndicator } from './sandbox.health';

async function healthApp(ping: () => Promise<void>): Promise<NestExpressApplication> {
  const indicators = new HealthIndicatorService();
  @Module({
    imports: [TerminusModule.forRoot({ logger: false })],
    controllers: [HealthController],
    providers: [
      DatabaseHealthIndicator,
      { provide: HealthRepository, useValue: { ping } },
      { provide: RedisHealthIndicator, useValue: { checks: () => [] } },
      { provide: SandboxHealthIndicator, useValue: { check: (key: string) => indicators.check(key).up({ driver: 'bwrap' }) } },
      { provide: ProvidersHealthIndicator, useValue: { check: (key: string) => indicators.check(key).up() } },
    ],
  })
  class HealthTestModule {}
  const app = await NestFactory.create<NestExpressApplication>(HealthTestModule, { logger: false });
  await app.init();
  return app;
}

describe('GET /health', () => {
  it('answers 200 with the terminus report when every dependency is up', async () => {
    const app = await healthApp(() => Promise.resolve());
    try {
      const response = await request(app.getHttpServer()).get('/health').expect(200);
      expect(response.body).toEqual({
        status: 'ok',
        info: { database: { status: 'up' }, sandbox: { status: 'up', driver: 'bwrap' }, providers: { status: 'up' } },
        error: {},
        details: { database: { status: 'up' }, sandbox: { status: 'up', driver: 'bwrap' }, providers: { status: 'up' } },
      });
    } finally {
      await app.close();
    }
  });

  it('answers 503 with the same report shape, naming the database, when the ping fails', async () => {
    const app = await healthApp(() => Promise.reject(new Error('connection refused')));
    try {
      const response = await request(app.getHttpServer()).get('/health').expect(503);
      expect(response.body).toMatchObject({
        status: 'error',
        error: { database: { status: 'down' } },
        details: { database: { status: 'down' }, sandbox: { status: 'up' }, providers: { status: 'up' } },
      });
    } finally {
      await app.close();
    }
  });
});

describe('GET /health/live and /health/ready', () => {
  it('live answers 200 without touching the database', async () => {
    let pings = 0;
    const app = await healthApp(() => {
      pings += 1;
      return Promise.reject(new Error('connection refused'));
    });
    try {
      const response = await request(app.getHttpServer()).get('/health/live').expect(200);
      expect(response.body).toEqual({ status: 'ok' });
      expect(pings).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('ready reports the database only (no sandbox, no providers) and answers 503 when it is down', async () => {
    let up = true;
    const app = await healthApp(() => (up ? Promise.resolve() : Promise.reject(new Error('connection refused'))));
    try {
      const ready = await request(app.getHttpServer()).get('/health/ready').expect(200);
      expect(ready.body).toEqual({
        status: 'ok',
        info: { database: { status: 'up' } },
        error: {},
        details: { database: { status: 'up' } },
      });
      up = false;
      const notReady = await request(app.getHttpServer()).get('/health/ready').expect(503);
      expect(notReady.body).toEqual({
        status: 'error',
        info: {},
        error: { database: { status: 'down' } },
        details: { database: { status: 'down' } },
      });
    } finally {
      await app.close();
    }
  });
});
