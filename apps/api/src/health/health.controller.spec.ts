import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import request from 'supertest';
import { ProvidersHealthIndicator } from '../providers/providers.health';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { SandboxHealthIndicator } from './sandbox.health';

async function healthApp(ping: () => Promise<void>): Promise<NestExpressApplication> {
  const indicators = new HealthIndicatorService();
  @Module({
    imports: [TerminusModule.forRoot({ logger: false })],
    controllers: [HealthController],
    providers: [
      DatabaseHealthIndicator,
      { provide: HealthRepository, useValue: { ping } },
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
