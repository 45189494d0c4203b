import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient, CheckFailed, describeError, expectStatus, RequestTimedOut, ServerUnreachable } from './api-client';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A real HTTP server on a loopback port, answering with `handler`. */
async function serve(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('ApiClient', () => {
  it('sends the key, JSON and the /api prefix, and parses JSON answers', async () => {
    const seen: { method?: string; url?: string; authorization?: string; body?: string } = {};
    const server = await serve((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        Object.assign(seen, { method: request.method, url: request.url, authorization: request.headers.authorization, body });
        response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end('{"ok":true}');
      });
    });
    try {
      const response = await new ApiClient(`${server.url}/prefix`, 5000, { apiKey: 'aegis_k' }).post('/tools/x/execute', { a: 1 });
      expect(response).toMatchObject({ status: 200, body: { ok: true } });
      expect(seen).toEqual({ method: 'POST', url: '/prefix/api/tools/x/execute', authorization: 'Bearer aegis_k', body: '{"a":1}' });
    } finally {
      await server.close();
    }
  });

  it('signs a session request with its cookies and the CSRF header', async () => {
    let headers: IncomingMessage['headers'] = {};
    const server = await serve((request, response) => {
      headers = request.headers;
      response.writeHead(204).end();
    });
    try {
      await new ApiClient(server.url, 5000, undefined)
        .withCredentials({ cookie: 'access_token=a; csrf_token=c', csrfToken: 'c' })
        .get('/x');
      expect(headers).toMatchObject({ cookie: 'access_token=a; csrf_token=c', 'x-csrf-token': 'c' });
      expect(headers.authorization).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('says "connection refused" when nothing listens', async () => {
    const server = await serve(() => undefined);
    const { url } = server;
    await server.close();
    const request = new ApiClient(url, 5000, undefined).get('/health');
    await expect(request).rejects.toBeInstanceOf(ServerUnreachable);
    await expect(request).rejects.toThrow(`cannot reach ${url}/api/health: connection refused`);
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    const server = await serve(() => undefined);
    try {
      const request = new ApiClient(server.url, 200, undefined).get('/health');
      await expect(request).rejects.toBeInstanceOf(RequestTimedOut);
      await expect(request).rejects.toThrow(`GET ${server.url}/api/health did not answer within 0.2 s`);
    } finally {
      await server.close();
    }
  });
});

describe('describeError and expectStatus', () => {
  const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
    status,
    body,
    headers: new Headers(headers),
  });

  it("put the API's error code, message and details in one line", () => {
    expect(describeError(response(422, { code: 'VALIDATION_FAILED', message: 'Invalid arguments', details: ['path: too long'] }))).toBe(
      '422 VALIDATION_FAILED: Invalid arguments (path: too long)',
    );
    expect(describeError(response(502, '<html>Bad gateway</html>'))).toBe('502 <html>Bad gateway</html>');
    expect(describeError(response(500, ''))).toBe('500');
  });

  it('say where a redirect leads', () => {
    expect(describeError(response(301, '', { location: 'https://aegis.example.com/api/auth/me' }))).toBe(
      '301, a redirect to https://aegis.example.com/api/auth/me (give the address it leads to as --url)',
    );
  });

  it('expectStatus returns the body of an expected status and names the call otherwise', () => {
    expect(expectStatus(response(202, { id: 1 }), [200, 202], 'POST /x')).toEqual({ id: 1 });
    expect(() => expectStatus(response(403, { code: 'FORBIDDEN', message: 'no' }), 200, 'POST /x')).toThrow(
      new CheckFailed('POST /x answered 403 FORBIDDEN: no'),
    );
  });
});
