import type { AppConfig } from '@aegis/config';
import type { CookieOptions, Response } from 'express';
import { CSRF_COOKIE } from './csrf';

export const ACCESS_COOKIE = 'access_token';
export const REFRESH_COOKIE = 'refresh_token';
/** The refresh cookie goes only to the auth endpoints, never to the rest of the API. */
export const REFRESH_COOKIE_PATH = '/api/auth';

export interface IssuedSession {
  accessToken: string;
  refreshToken: string;
  csrfToken: string;
}

function base(config: AppConfig): CookieOptions {
  return { secure: config.cookieSecure, sameSite: 'strict' };
}

export function setSessionCookies(response: Response, session: IssuedSession, config: AppConfig): void {
  const refreshMs = config.refreshTokenTtlSeconds * 1000;
  response.cookie(ACCESS_COOKIE, session.accessToken, {
    ...base(config),
    httpOnly: true,
    path: '/',
    maxAge: config.accessTokenTtlSeconds * 1000,
  });
  response.cookie(REFRESH_COOKIE, session.refreshToken, { ...base(config), httpOnly: true, path: REFRESH_COOKIE_PATH, maxAge: refreshMs });
  // Readable on purpose: the SPA echoes it in X-CSRF-Token (double submit).
  response.cookie(CSRF_COOKIE, session.csrfToken, { ...base(config), httpOnly: false, path: '/', maxAge: refreshMs });
}

export function clearSessionCookies(response: Response, config: AppConfig): void {
  response.clearCookie(ACCESS_COOKIE, { ...base(config), httpOnly: true, path: '/' });
  response.clearCookie(REFRESH_COOKIE, { ...base(config), httpOnly: true, path: REFRESH_COOKIE_PATH });
  response.clearCookie(CSRF_COOKIE, { ...base(config), httpOnly: false, path: '/' });
}
