import type { Request } from 'express';
import { ACCESS_COOKIE } from '../session-cookies';

/** The strategies of the global guard and the socket handshake, in the order they are tried (docs/security.md "Authentication"). */
export const API_KEY_STRATEGY = 'api-key';
export const ACCESS_TOKEN_STRATEGY = 'jwt';
export const AUTH_STRATEGIES = [API_KEY_STRATEGY, ACCESS_TOKEN_STRATEGY];

/** A non-empty cookie (cookie-parser fills `request.cookies` for HTTP; the socket handshake parses its Cookie header). */
export function cookieOf(request: Request, name: string): string | undefined {
  const cookies = request.cookies as Record<string, unknown> | undefined;
  const value = cookies?.[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The key of `Authorization: Bearer <key>`, or undefined. A request that sends an Authorization
 * header is judged by it alone: any other scheme presents no key and no cookie. Never a query string.
 */
export function presentedApiKey(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const key = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  return key === '' ? undefined : key;
}

/** The access JWT of the httpOnly cookie, only when no Authorization header is sent (passport-jwt's extractor: null for none). */
export function presentedAccessToken(request: Request): string | null {
  if (request.headers.authorization !== undefined) return null;
  return cookieOf(request, ACCESS_COOKIE) ?? null;
}
