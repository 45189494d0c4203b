import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeysService } from './api-keys.service';
import { CSRF_COOKIE, CSRF_HEADER } from './csrf';
import type { Principal } from './principal';
import { ACCESS_COOKIE } from './session-cookies';
import { SessionService } from './session.service';

export interface Authentication {
  principal: Principal;
  via: 'cookie' | 'api_key';
}

function cookie(request: Request, name: string): string | undefined {
  const cookies = request.cookies as Record<string, unknown> | undefined;
  const value = cookies?.[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Finds the caller: `Authorization: Bearer aegis_…` (API key) or the httpOnly access cookie. Never a query string. */
@Injectable()
export class Authenticator {
  constructor(
    private readonly sessions: SessionService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async authenticate(request: Request): Promise<Authentication | undefined> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const key = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
      const principal = key ? await this.apiKeys.authenticate(key) : undefined;
      return principal ? { principal, via: 'api_key' } : undefined;
    }
    const token = cookie(request, ACCESS_COOKIE);
    const claims = token ? this.sessions.verifyAccessToken(token) : undefined;
    if (!claims) return undefined;
    return { principal: { kind: 'user', userId: claims.sub, username: claims.name, role: claims.role, sessionId: claims.sid }, via: 'cookie' };
  }

  /** Double submit: the readable csrf cookie, echoed in X-CSRF-Token, signed for this session. */
  csrfValid(request: Request, sessionId: string): boolean {
    const header = request.headers[CSRF_HEADER];
    return this.sessions.csrf.verify(sessionId, cookie(request, CSRF_COOKIE), typeof header === 'string' ? header : undefined);
  }

  refreshCookie(request: Request, name: string): string | undefined {
    return cookie(request, name);
  }
}
