import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient, CheckFailed } from '../api-client';
import type { SmokeContext } from '../check';
import { healthCheck } from './health-check';

type Answers = Record<string, { status: number; body: unknown }>;

/** A real HTTP server answering each path with a fixed status and JSON body (404 for the rest). */
async function checkHealthOf(answers: Answers) {
  const server = createServer((request, response) => {
    const answer = answers[request.url ?? ''] ?? { status: 404, body: { code: 'NOT_FOUND', message: 'Cannot GET' } };
    response.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await healthCheck.run({ api: new ApiClient(`http://127.0.0.1:${port}`, 5000, undefined) } as SmokeContext);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const report = (status: 'ok' | 'error', details: Record<string, { status: string; message?: string }>) => ({ status, details });

describe('the health check', () => {
  it('passes on a ready server, naming what is up', async () => {
    await expect(
      checkHealthOf({ '/api/health/ready': { status: 200, body: report('ok', { database: { status: 'up' }, redis: { status: 'up' } }) } }),
    ).resolves.toEqual({
      status: 'passed',
      detail: 'ready: database, redis up',
    });
  });

  it('fails on a server that is not ready, naming what is down', async () => {
    const notReady = {
      status: 503,
      body: report('error', { database: { status: 'up' }, redis: { status: 'down', message: 'ECONNREFUSED' } }),
    };
    await expect(checkHealthOf({ '/api/health/ready': notReady })).rejects.toThrow(
      new CheckFailed('not ready (503): redis (ECONNREFUSED)'),
    );
  });

  it('judges a server without /api/health/ready by its database alone', async () => {
    const vendorsDown = report('error', { database: { status: 'up' }, providers: { status: 'down', message: 'no provider' } });
    await expect(checkHealthOf({ '/api/health': { status: 503, body: vendorsDown } })).resolves.toEqual({
      status: 'passed',
      detail: 'healthy (GET /api/health; no /api/health/ready): database up; down: providers (no provider)',
    });
    const databaseDown = report('error', { database: { status: 'down', message: 'timeout' } });
    await expect(checkHealthOf({ '/api/health': { status: 503, body: databaseDown } })).rejects.toThrow(
      new CheckFailed('the database is down: database (timeout)'),
    );
  });

  it('says when the URL answers but is not Aegis', async () => {
    await expect(checkHealthOf({ '/api/health/ready': { status: 200, body: ['not', 'a', 'report'] } })).rejects.toThrow(
      new CheckFailed('GET /api/health/ready answered 200 without a health report: is --url the Aegis server?'),
    );
    await expect(checkHealthOf({})).rejects.toThrow(new CheckFailed('GET /api/health answered 404 NOT_FOUND: Cannot GET'));
  });
});
