import { ErrorCode, type Role, roleAtLeast } from '@aegis/contracts';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthException } from './auth.exception';
import { MIN_ROLE_KEY, PUBLIC_KEY } from './auth.decorators';
import { Authenticator } from './authenticator';
import { type AuthenticatedRequest, clientOf } from './principal';
import { SecurityEvents } from './security-events';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard: every route needs a caller unless it is @Public(); cookie-authenticated
 * state changes need a valid CSRF token; @MinRole routes refuse (and audit) lower roles.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly events: SecurityEvents,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const authentication = await this.authenticator.authenticate(request);
    if (!authentication) throw new AuthException(ErrorCode.Unauthenticated, 'Sign in or present a valid API key');
    const { principal, via } = authentication;

    if (via === 'cookie' && principal.kind === 'user' && !SAFE_METHODS.has(request.method) && !this.authenticator.csrfValid(request, principal.sessionId)) {
      await this.events.record({ type: 'auth.csrf.refused', principal, decision: 'refused', ...clientOf(request), details: { method: request.method, path: request.path } });
      throw new AuthException(ErrorCode.CsrfInvalid, 'Missing or invalid X-CSRF-Token header');
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
    request.principal = principal;
    return true;
  }
}
