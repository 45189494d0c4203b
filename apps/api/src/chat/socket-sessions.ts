import { ApiKeysService, Authenticator, type Principal, SessionService, UsersService } from '@aegis/auth';
import { type Role, roleAtLeast } from '@aegis/contracts';
import { Injectable } from '@nestjs/common';
import type { Request } from 'express';

/** The part of a socket.io handshake that authenticates it: the headers it came with. */
export interface SocketHandshake {
  headers: Record<string, string | string[] | undefined>;
}

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    try {
      cookies[part.slice(0, index).trim()] = decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      continue;
    }
  }
  return cookies;
}

const lower = (a: Role, b: Role): Role => (roleAtLeast(a, b) ? b : a);

/** Whether two principals are the same session with the same role (a changed role ends the socket's session). */
export function samePrincipal(before: Principal, now: Principal): boolean {
  if (before.kind !== now.kind || before.userId !== now.userId || before.role !== now.role) return false;
  if (before.kind === 'user' && now.kind === 'user') return before.sessionId === now.sessionId;
  return before.kind === 'api_key' && now.kind === 'api_key' && before.apiKeyId === now.apiKeyId;
}

/**
 * Who a socket is, now: its handshake authenticated the way HTTP requests are (access cookie or
 * API key), then held against the current state (the auth state cache, dropped by every change:
 * docs/security.md "Authentication"), because a socket outlives the moment it connected
 * (docs/agent.md "The socket's session"): a cookie session stands while its access token is
 * unexpired, its sign-in (refresh family) is not revoked, and its user is enabled with the role
 * the token names; an API key stands while it is unrevoked, unexpired and its owner enabled.
 */
@Injectable()
export class SocketSessions {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly users: UsersService,
    private readonly sessions: SessionService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async principalOf(handshake: SocketHandshake): Promise<Principal | undefined> {
    const cookie = handshake.headers['cookie'];
    const request = {
      headers: handshake.headers,
      cookies: parseCookies(typeof cookie === 'string' ? cookie : undefined),
    } as unknown as Request;
    const authentication = await this.authenticator.authenticate(request);
    if (!authentication) return undefined;
    const { principal } = authentication;
    // API keys are checked by the authenticator (revoked, expired, owner disabled, current role).
    if (principal.kind === 'api_key') return principal;
    const user = await this.users.state(principal.userId);
    if (!user || user.disabled || user.role !== principal.role) return undefined;
    return (await this.sessions.familyActive(principal.sessionId)) ? principal : undefined;
  }

  /**
   * Whether what started a run still stands, with the role it has now (never more than `principal`'s):
   * the user enabled, the sign-in not revoked, the API key unrevoked and unexpired. The access
   * token is not asked about: a run may outlive it while the sign-in goes on.
   */
  async standing(principal: Principal): Promise<Principal | undefined> {
    const user = await this.users.state(principal.userId);
    if (!user || user.disabled) return undefined;
    if (principal.kind === 'user') {
      const signedIn = await this.sessions.familyActive(principal.sessionId);
      return signedIn ? { ...principal, role: lower(principal.role, user.role) } : undefined;
    }
    const keyRole = await this.apiKeys.currentRole(principal.apiKeyId);
    return keyRole ? { ...principal, role: lower(principal.role, lower(keyRole, user.role)) } : undefined;
  }
}
