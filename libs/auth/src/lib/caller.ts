import type { Caller } from '@aegis/governance';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type AuthenticatedRequest, clientOf, type Principal } from './principal';

/** Who asks governance to act, from the authenticated principal and the client it came from (HTTP request or socket). */
export function callerOf(principal: Principal, client: { ip?: string; userAgent?: string }): Caller {
  const actor =
    principal.kind === 'user'
      ? { type: 'user' as const, id: principal.userId, name: principal.username }
      : { type: 'api_key' as const, id: principal.apiKeyId, name: principal.username };
  return { actor, userId: principal.userId, role: principal.role, ip: client.ip, userAgent: client.userAgent };
}

/** The governance caller of an authenticated route: its principal, address and user agent (the global AuthGuard guarantees a principal). */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) throw new Error('CurrentCaller used on a route without authentication');
  return callerOf(request.principal, clientOf(request));
});
