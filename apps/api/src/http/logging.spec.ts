import pino from 'pino';
import { loggingParams, REDACT_PATHS, redactUrl } from './logging';

describe('log redaction', () => {
  it('blanks secret-looking query values and keeps the rest', () => {
    expect(redactUrl('/api/auth/refresh?refreshToken=abc&x=1')).toBe('/api/auth/refresh?refreshToken=%5Bredacted%5D&x=1');
    expect(redactUrl('/api/audit?cursor=10&actor=bob')).toBe('/api/audit?cursor=10&actor=bob');
    expect(redactUrl('/api/health')).toBe('/api/health');
  });

  it('logs the client address Express computed under TRUST_PROXY beside the socket peer', () => {
    type RequestSerializer = (request: object) => { remoteAddress?: string; clientIp?: string };
    const { serializers } = loggingParams('info').pinoHttp as { serializers: { req: RequestSerializer } };
    const request = { id: '1', method: 'GET', url: '/', headers: {}, remoteAddress: '127.0.0.1' };
    expect(serializers.req({ ...request, raw: { ip: '203.0.113.7' } })).toMatchObject({
      remoteAddress: '127.0.0.1',
      clientIp: '203.0.113.7',
    });
    expect(serializers.req(request)).toMatchObject({ clientIp: '127.0.0.1' });
  });

  it('builds the per-request logger only at levels that write request lines', () => {
    for (const level of ['info', 'debug', 'trace']) expect(loggingParams(level).useExisting).toBeUndefined();
    for (const level of ['warn', 'error', 'fatal', 'silent']) expect(loggingParams(level).useExisting).toBe(true);
  });

  it('never writes authorization, cookies, passwords or tokens', () => {
    const lines: string[] = [];
    const logger = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, { write: (line: string) => lines.push(line) });
    logger.info({
      req: { headers: { authorization: 'Bearer aegis_secret', cookie: 'access_token=jwt', 'x-csrf-token': 'csrf-value-123' } },
      res: { headers: { 'set-cookie': 'refresh_token=r' } },
      body: { username: 'alice', password: 'hunter2hunter2', refreshToken: 'rt', nested: { apiKey: 'k' } },
    });
    const line = lines.join('');
    for (const secret of ['aegis_secret', 'access_token=jwt', 'csrf-value-123', 'refresh_token=r', 'hunter2hunter2', '"rt"', '"k"']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('alice');
  });
});
