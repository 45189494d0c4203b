import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { assignRequestId } from './request-id';

const REDACTED = '[redacted]';
const SECRET_QUERY_KEY = /token|key|password|secret|code|auth/i;

/** Query values whose names look secret are redacted before a URL is logged. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  for (const key of [...params.keys()]) {
    if (SECRET_QUERY_KEY.test(key)) params.set(key, REDACTED);
  }
  return `${url.slice(0, queryStart)}?${params.toString()}`;
}

/** Paths pino blanks out wherever they appear in a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...[
    'password',
    'newPassword',
    'currentPassword',
    'token',
    'accessToken',
    'refreshToken',
    'apiKey',
    'key',
    'secret',
    'authorization',
    'cookie',
  ].flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

const QUIET_PATHS = new Set(['/api/health', '/api/health/live', '/api/health/ready', '/metrics']);
/** Request lines are written at info (4xx at warn, 5xx at error); above info nothing per request is logged. */
const REQUEST_LOGGING_LEVELS = new Set(['info', 'debug', 'trace']);

/**
 * nestjs-pino: JSON lines, a request id on every request line and in X-Request-Id, secrets redacted.
 * At warn and above no pino-http middleware runs: `useExisting` skips it, so no request child logger (and its
 * serialised headers) is built per request; lines then go to the root logger, 5xx still logged by ApiExceptionFilter
 * with their request id.
 */
export function loggingParams(level: string): Params {
  return {
    ...(REQUEST_LOGGING_LEVELS.has(level) ? {} : { useExisting: true as const }),
    pinoHttp: {
      level,
      genReqId: (request: IncomingMessage & { id?: unknown }, response: ServerResponse) =>
        typeof request.id === 'string' ? request.id : assignRequestId(request, response),
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      autoLogging: { ignore: (request) => request.method === 'GET' && QUIET_PATHS.has((request.url ?? '').split('?')[0]) },
      customLogLevel: (_request, response, error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        req: (request: {
          id: string;
          method: string;
          url: string;
          headers: Record<string, unknown>;
          remoteAddress?: string;
          raw?: { ip?: unknown };
        }) => ({
          id: request.id,
          method: request.method,
          url: redactUrl(request.url),
          headers: request.headers,
          remoteAddress: request.remoteAddress,
          // The client under TRUST_PROXY (Express' req.ip), as the login limits and the audit see it.
          clientIp: typeof request.raw?.ip === 'string' ? request.raw.ip : request.remoteAddress,
        }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    },
  };
}
