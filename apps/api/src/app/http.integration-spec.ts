import { loadConfig } from '@aegis/config';
import { createTestDatabase } from '@aegis/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from './create-app';

describe('HTTP basics against PostgreSQL', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', METRICS_TOKEN: 'metrics-token-for-tests' });
    ({ app } = await createApp(config, { url: await createTestDatabase(), embedded: false }));
    await app.init();
  });

  afterAll(() => app.close());

  it('reports the database up on /api/health with a request id', async () => {
    const response = await request(app.getHttpServer()).get('/api/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers malformed JSON with a 400 MALFORMED_JSON body and the request id', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/health')
      .set('Content-Type', 'application/json')
      .send('{"unterminated": ')
      .expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      code: 'MALFORMED_JSON',
      message: 'The request body is not valid JSON',
      requestId: response.headers['x-request-id'],
    });
  });
});
