import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Public } from '@aegis/auth';
import type { AppConfig } from '@aegis/config';
import type { ErrorBody } from '@aegis/contracts';
import { createTestDatabase, testConfig } from '@aegis/testing';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { IsInt, IsString, Max, MinLength } from 'class-validator';
import request from 'supertest';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';

class ProbeDto {
  @IsString()
  @MinLength(3)
  name: string;

  @IsInt()
  @Max(10)
  count: number;
}

/** A controller that exists only here, to drive the global pipe, filter and body limits. */
@Public()
@Controller('probe')
class ProbeController {
  @Post()
  echo(@Body() body: ProbeDto): ProbeDto {
    return body;
  }

  @Get('boom')
  boom(): never {
    throw new Error('connection to db failed: password=hunter2 at /srv/secret/path.ts:12');
  }
}

/** supertest leaves bodies untyped; error responses have the API's one error shape. */
const errorOf = (response: request.Response): ErrorBody => response.body as ErrorBody;

async function startApp(config: AppConfig, webDir?: string): Promise<NestExpressApplication> {
  @Module({ imports: [AppModule.forRoot(config, { url: await createTestDatabase(), embedded: false })], controllers: [ProbeController] })
  class TestRoot {}
  const app = await NestFactory.create<NestExpressApplication>(TestRoot, { bodyParser: false, logger: false });
  configureApp(app, config, webDir);
  await app.init();
  return app;
}

describe('HTTP behaviour against PostgreSQL', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await startApp(testConfig({ METRICS_TOKEN: 'metrics-token-for-tests' }));
  });

  afterAll(() => app.close());

  it('reports the database up on /api/health with a request id', async () => {
    const response = await http().get('/api/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, sandbox: { status: 'up', driver: 'bwrap' } },
    });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts a valid body', async () => {
    await http().post('/api/probe').send({ name: 'alice', count: 3 }).expect(201, { name: 'alice', count: 3 });
  });

  it('refuses an unknown field with 400 VALIDATION_FAILED naming it', async () => {
    const response = await http().post('/api/probe').send({ name: 'alice', count: 3, isAdmin: true }).expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'property isAdmin should not exist',
      details: ['property isAdmin should not exist'],
      requestId: response.headers['x-request-id'],
    });
  });

  it('lists every invalid field at once', async () => {
    const response = await http().post('/api/probe').send({ name: 'al', count: 'many' }).expect(400);
    expect(errorOf(response).code).toBe('VALIDATION_FAILED');
    expect(errorOf(response).details).toEqual(
      expect.arrayContaining(['name must be longer than or equal to 3 characters', 'count must be an integer number']),
    );
  });

  it('answers malformed JSON with 400 MALFORMED_JSON and the request id', async () => {
    const response = await http().post('/api/probe').set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      code: 'MALFORMED_JSON',
      message: 'The request body is not valid JSON',
      requestId: response.headers['x-request-id'],
    });
  });

  it('answers an oversized body with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await http()
      .post('/api/probe')
      .send({ name: 'x'.repeat(2 * 1024 * 1024), count: 1 })
      .expect(413);
    expect(response.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', requestId: response.headers['x-request-id'] });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await http().get('/api/does-not-exist').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('hides the details of an unexpected error behind a 500', async () => {
    const response = await http().get('/api/probe/boom').set('X-Request-Id', 'trace-from-caller-42').expect(500);
    expect(response.body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Internal server error',
      requestId: 'trace-from-caller-42',
    });
    expect(response.text).not.toMatch(/hunter2|\.ts:|at /);
  });

  it('sends strict security headers', async () => {
    const response = await http().get('/api/health');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('lets no browser or proxy store an API answer', async () => {
    for (const path of ['/api/health', '/api/no-such-route']) {
      const response = await http().get(path);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['etag']).toBeUndefined();
    }
  });

  it('allows no cross-origin caller by default', async () => {
    const response = await http().get('/api/health').set('Origin', 'https://evil.example.com');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  describe('/metrics', () => {
    it('refuses a missing or wrong token', async () => {
      expect(errorOf(await http().get('/metrics').expect(401)).code).toBe('UNAUTHENTICATED');
      await http().get('/metrics').set('Authorization', 'Bearer wrong-token-wrong-token').expect(401);
    });

    it('serves Prometheus text: HTTP latency, event-loop lag, process metrics', async () => {
      await http().get('/api/health');
      const response = await http().get('/metrics').set('Authorization', 'Bearer metrics-token-for-tests').expect(200);
      expect(response.headers['content-type']).toContain('text/plain');
      expect(response.text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/api\/health".*status_code="200"/);
      expect(response.text).toContain('nodejs_eventloop_lag_seconds');
      expect(response.text).toContain('process_resident_memory_bytes');
    });
  });
});

describe('HTTP configuration variants', () => {
  it('allows exactly the CORS_ORIGINS, with credentials', async () => {
    const app = await startApp(testConfig({ CORS_ORIGINS: 'https://ops.example.com' }));
    try {
      const allowed = await request(app.getHttpServer()).get('/api/health').set('Origin', 'https://ops.example.com');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://ops.example.com');
      expect(allowed.headers['access-control-allow-credentials']).toBe('true');
      const refused = await request(app.getHttpServer()).get('/api/health').set('Origin', 'https://evil.example.com');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('keeps /metrics closed to anonymous callers when no METRICS_TOKEN is configured', async () => {
    const app = await startApp(testConfig());
    try {
      const response = await request(app.getHttpServer()).get('/metrics').expect(401);
      expect(errorOf(response).message).toMatch(/METRICS_TOKEN/);
    } finally {
      await app.close();
    }
  });

  it('serves the built SPA on the same origin: assets cached, client routes fall back to index.html', async () => {
    const webDir = mkdtempSync(join(tmpdir(), 'aegis-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Aegis</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(webDir, 'assets', 'app.js'), 'console.log("app")');
    const app = await startApp(testConfig(), webDir);
    try {
      const http = request(app.getHttpServer());
      const index = await http.get('/').set('Accept', 'text/html').expect(200);
      expect(index.text).toContain('<title>Aegis</title>');
      expect(index.headers['cache-control']).toBe('no-cache');
      expect(index.headers['content-security-policy']).toContain("script-src 'self'");
      expect((await http.get('/approvals/pending').set('Accept', 'text/html').expect(200)).text).toContain('<title>Aegis</title>');
      const asset = await http.get('/assets/app.js').expect(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      expect(errorOf(await http.get('/api/nothing-here').set('Accept', 'text/html').expect(404)).code).toBe('NOT_FOUND');
      await http.get('/assets/missing.js').expect(404);
    } finally {
      await app.close();
    }
  });
});
