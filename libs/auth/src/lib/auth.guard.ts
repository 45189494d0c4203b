import { type AppConfig, InjectAppConfig } from '@aegis/config';
import { ErrorCode, type Role, roleAtLeast } from '@aegis/contracts';
import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import { AuthException } from './auth.exception';
import { JSON_ONLY_KEY, MIN_ROLE_KEY, PUBLIC_KEY, SESSION_ONLY_KEY } from './auth.decorators';
import { Authenticator } from './authenticator';
import { jsonOrEmptyBody } from './json-body';
import { originAllowed } from './origin-policy';
import { AUTH_STRATEGIES } from './passport/credentials';
import { type AuthenticatedRequest, clientOf, type Principal } from './principal';
import { SecurityEvents } from './security-events';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The global guard (docs/security.md "Authentication"): @JsonOnly routes refuse other bodies; an
 * unsafe request that is not signed with an API key must come from an allowed origin (browsers
 * attach cookies to cross-site requests); every route needs a caller unless it is @Public(), found
 * by the passport strategies 'api-key' then 'jwt' (access cookie); cookie-authenticated state
 * changes need a valid CSRF token; @SessionOnly routes refuse API keys; @MinRole routes refuse
 * lower roles. Every refusal of a known caller or a foreign origin is audited.
 */
@Injectable()
export class AuthGuard extends PassportAuthGuard(AUTH_STRATEGIES) {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly events: SecurityEvents,
    @InjectAppConfig() private readonly config: AppConfig,
  ) {
    // The strategies' principal lands on request.principal; no server-side session.
    super({ session: false, property: 'principal' });
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();

    if (this.reflector.getAllAndOverride<boolean>(JSON_ONLY_KEY, targets) && !jsonOrEmptyBody(request.headers)) {
      throw new AuthException(ErrorCode.UnsupportedMediaType, 'This endpoint takes application/json bodies only');
    }
    const unsafe = !SAFE_METHODS.has(request.method);
    // An API key is never sent by a browser on its own, so only requests without one can be forged cross-site.
    if (unsafe && request.headers.authorization === undefined) await this.assertOriginAllowed(request);
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    await super.canActivate(context);
    const principal = request.principal;
    if (!principal) throw new AuthException(ErrorCode.Unauthenticated, 'Sign in or present a valid API key');

    // A user principal comes only from the access cookie (the JWT strategy); an API key is no ambient credential.
    if (principal.kind === 'user' && unsafe && !this.authenticator.csrfValid(request, principal.sessionId)) {
      await this.events.record({
        type: 'auth.csrf.refused',
        principal,
        decision: 'refused',
        ...clientOf(request),
        details: { method: request.method, path: request.path },
      });
      throw new AuthException(ErrorCode.CsrfInvalid, 'Missing or invalid X-CSRF-Token header');
    }

    if (principal.kind === 'api_key' && this.reflector.getAllAndOverride<boolean>(SESSION_ONLY_KEY, targets)) {
      await this.events.record({
        type: 'auth.authorization.refused',
        principal,
        decision: 'refused',
        ...clientOf(request),
        reason: 'needs a signed-in session',
        details: { method: request.method, path: request.path },
      });
      throw new AuthException(
        ErrorCode.SessionRequired,
        'This needs a signed-in session: API keys cannot manage API keys, passwords, users or approvals',
      );
    }

    const minimum = this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE_KEY, targets);
    if (minimum && !roleAtLeast(principal.role, minimum)) {
      await this.events.record({
        type: 'auth.authorization.refused',
        principal,
        decision: 'refused',
        ...clientOf(request),
        reason: `needs ${minimum}`,
        details: { method: request.method, path: request.path },
      });
      throw new AuthException(ErrorCode.Forbidden, `This needs the ${minimum} role`);
    }
    return true;
  }

  /** Every strategy failed: the one answer for a missing, unknown, revoked, expired or forged credential. A strategy's error (the database) propagates. */
  override handleRequest<TUser = Principal>(error: Error | null, principal: TUser | false): TUser {
    if (error) throw error;
    if (!principal) throw new AuthException(ErrorCode.Unauthenticated, 'Sign in or present a valid API key');
    return principal;
  }

  private async assertOriginAllowed(request: AuthenticatedRequest): Promise<void> {
    const origin = headerText(request.headers.origin);
    const secFetchSite = headerText(request.headers['sec-fetch-site']);
    if (originAllowed(origin, request.headers.host, this.config.corsOrigins, secFetchSite)) return;
    await this.events.record({
      type: 'auth.origin.refused',
      decision: 'refused',
      ...clientOf(request),
      reason: origin === undefined ? 'cross-site request' : 'origin not allowed',
      details: { method: request.method, path: request.path, origin: origin?.slice(0, 200), secFetchSite: secFetchSite?.slice(0, 32) },
    });
    throw new AuthException(ErrorCode.OriginRefused, 'Cross-site requests are refused: use the application from its own address');
  }
}
