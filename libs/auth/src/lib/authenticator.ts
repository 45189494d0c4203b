import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import passport from 'passport';
import { CSRF_COOKIE, CSRF_HEADER } from './csrf';
import { AccessTokenStrategy } from './passport/access-token.strategy';
import { ApiKeyStrategy } from './passport/api-key.strategy';
import { AUTH_STRATEGIES, cookieOf } from './passport/credentials';
import type { Principal } from './principal';
import { SessionService } from './session.service';

export interface Authentication {
  principal: Principal;
  via: 'cookie' | 'api_key';
}

/** A principal a strategy vouched for: users come only from the access cookie, programs only from an API key. */
function authenticationOf(principal: Principal): Authentication {
  return { principal, via: principal.kind === 'user' ? 'cookie' : 'api_key' };
}

/**
 * Finds the caller outside the global guard (the socket handshake, /metrics, sign-out) with the
 * guard's own passport strategies in the guard's order: `Authorization: Bearer aegis_…`, else the
 * httpOnly access cookie. One verification path for HTTP and sockets (docs/security.md "Authentication").
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly sessions: SessionService,
    // Injected so that both strategies are registered with passport before the first call.
    _apiKeys: ApiKeyStrategy,
    _accessTokens: AccessTokenStrategy,
  ) {}

  authenticate(request: Request): Promise<Authentication | undefined> {
    return new Promise((resolve, reject) => {
      const settle = (error: Error | null | undefined, principal?: Principal | false) =>
        error ? reject(error) : resolve(principal ? authenticationOf(principal) : undefined);
      const middleware = passport.authenticate(AUTH_STRATEGIES, { session: false }, settle) as (
        request: Request,
        response: Response | undefined,
        next: (error?: Error) => void,
      ) => void;
      middleware(request, undefined, (error) => settle(error));
    });
  }

  /** Double submit: the readable csrf cookie, echoed in X-CSRF-Token, signed for this session. */
  csrfValid(request: Request, sessionId: string): boolean {
    const header = request.headers[CSRF_HEADER];
    return this.sessions.csrf.verify(sessionId, cookieOf(request, CSRF_COOKIE), typeof header === 'string' ? header : undefined);
  }

  refreshCookie(request: Request, name: string): string | undefined {
    return cookieOf(request, name);
  }
}
