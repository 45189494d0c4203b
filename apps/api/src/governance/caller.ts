import { clientOf, type Principal } from '@aegis/auth';
import type { Caller } from '@aegis/governance';
import type { Request } from 'express';

/** The governance caller for an authenticated HTTP request: the user or API key, its role, address and user agent. */
export function callerOf(principal: Principal, request: Request): Caller {
  const { ip, userAgent } = clientOf(request);
  const actor =
    principal.kind === 'user'
      ? { type: 'user' as const, id: principal.userId, name: principal.username }
      : { type: 'api_key' as const, id: principal.apiKeyId, name: principal.username };
  return { actor, userId: principal.userId, role: principal.role, ip, userAgent };
}
