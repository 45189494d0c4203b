import { type Role, ROLES } from '@aegis/contracts';
import type { Request } from 'express';

/** Who is calling: a signed-in user (access cookie) or a program (API key). */
export type Principal =
  | { kind: 'user'; userId: string; username: string; role: Role; sessionId: string }
  | { kind: 'api_key'; userId: string; username: string; role: Role; apiKeyId: string };

/** The lower of two roles: a credential never outranks the user behind it as that user is now. */
export const lowerRole = (a: Role, b: Role): Role => (ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b);

export type AuthenticatedRequest = Request & { principal?: Principal };

/** The client's address and user agent, as security events record them. */
export function clientOf(request: Request): { ip: string; userAgent: string | undefined } {
  return { ip: request.ip ?? request.socket.remoteAddress ?? 'unknown', userAgent: request.headers['user-agent'] };
}
