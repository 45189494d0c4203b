import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@aegis/contracts';
import type { AuthenticatedRequest, Principal } from './principal';

export const PUBLIC_KEY = 'aegis:public';
export const MIN_ROLE_KEY = 'aegis:min-role';
export const SESSION_ONLY_KEY = 'aegis:session-only';
export const JSON_ONLY_KEY = 'aegis:json-only';

/** The route needs no sign-in (health, login, refresh). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/** The route needs at least this role; below it the caller gets 403 and the refusal is audited. */
export const MinRole = (role: Role): MethodDecorator & ClassDecorator => SetMetadata(MIN_ROLE_KEY, role);

/**
 * The route needs a signed-in user (cookie session): an API key gets 403 SESSION_REQUIRED, audited.
 * For what manages credentials and accounts, so that a leaked key cannot outlive or outrank itself.
 */
export const SessionOnly = (): MethodDecorator & ClassDecorator => SetMetadata(SESSION_ONLY_KEY, true);

/** The route takes JSON bodies only (415 UNSUPPORTED_MEDIA_TYPE otherwise): an HTML form cannot post to it. */
export const JsonOnly = (): MethodDecorator & ClassDecorator => SetMetadata(JSON_ONLY_KEY, true);

/** The authenticated caller (the global AuthGuard guarantees one on non-public routes). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});
