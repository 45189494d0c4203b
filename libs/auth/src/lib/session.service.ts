import { randomUUID } from 'node:crypto';
import { type AppConfig, InjectAppConfig } from '@aegis/config';
import { ErrorCode, type Role } from '@aegis/contracts';
import type { UserEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthException } from './auth.exception';
import { CsrfTokens } from './csrf';
import { jwtSecretOf } from './jwt-secret';
import { hashPassword, verifyPassword } from './password-hasher';
import { AuthStateCache } from './principal-cache/auth-state-cache';
import { LoginAttemptLimiter } from './rate-limit/login-attempts';
import { RefreshTokenRepository, type RefreshTokenWriter } from './refresh-token.repository';
import { SecurityEvents } from './security-events';
import { randomToken, sha256Hex } from './secure-token';
import type { IssuedSession } from './session-cookies';
import { UserRepository } from './user.repository';

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
}

export interface AccessClaims {
  sub: string;
  name: string;
  role: Role;
  /** The refresh-token family: one per sign-in, the CSRF token is bound to it. */
  sid: string;
  typ: 'access';
}

export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

const INVALID_CREDENTIALS = 'Invalid username or password';

/** Sign-in, rotating refresh tokens per family, reuse detection and sign-out. */
@Injectable()
export class SessionService {
  readonly csrf: CsrfTokens;
  /** Verified against when the username is unknown, so both failures cost the same time. */
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly jwt: JwtService,
    private readonly events: SecurityEvents,
    private readonly loginAttempts: LoginAttemptLimiter,
    private readonly states: AuthStateCache,
    @InjectAppConfig() private readonly config: AppConfig,
  ) {
    this.csrf = new CsrfTokens(jwtSecretOf(this.config));
    this.dummyHash = hashPassword(randomToken());
  }

  /**
   * The same error, after the same work, for an unknown user, a wrong password or a disabled account.
   * Failures count against RATE_LIMIT_LOGIN (IP + username) and RATE_LIMIT_LOGIN_IP; a success clears the pair.
   */
  async login(username: string, password: string, client: ClientInfo): Promise<{ user: SessionUser; session: IssuedSession }> {
    await this.loginAttempts.assertAllowed(client.ip, username, client.userAgent);
    const user = await this.users.findByUsername(username);
    const valid = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !valid || user.disabled) {
      await this.loginAttempts.recordFailure(client.ip, username);
      await this.events.record({
        type: 'auth.login.failed',
        decision: 'refused',
        ...client,
        reason: !user ? 'unknown user' : user.disabled ? 'account disabled' : 'wrong password',
        details: { username: username.slice(0, 64) },
      });
      throw new AuthException(ErrorCode.InvalidCredentials, INVALID_CREDENTIALS);
    }
    await this.loginAttempts.recordSuccess(client.ip, username);
    const session = await this.startFamily(user, randomUUID(), client);
    await this.events.record({
      type: 'auth.login.succeeded',
      principal: this.principalOf(user, session.familyId),
      decision: 'allowed',
      ...client,
    });
    return { user: toSessionUser(user), session: session.issued };
  }

  /**
   * Rotates a refresh token: the old one is spent, a new one of the same family is issued for the
   * SAME user with that user's CURRENT role. A spent token presented again revokes the whole family.
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<{ user: SessionUser; session: IssuedSession }> {
    let revokedFamily: string | undefined;
    const outcome = await this.refreshTokens.rotate(async (rotation) => {
      const row = await rotation.lockByHash(sha256Hex(refreshToken));
      if (!row || row.revokedAt) return { kind: 'invalid' as const };
      if (row.usedAt) {
        await rotation.revokeFamily(row.familyId);
        revokedFamily = row.familyId;
        return { kind: 'reused' as const, row };
      }
      if (row.expiresAt.getTime() <= Date.now()) return { kind: 'expired' as const };
      const user = await rotation.findUser(row.userId);
      if (!user || user.disabled) {
        await rotation.revokeFamily(row.familyId);
        revokedFamily = row.familyId;
        return { kind: 'invalid' as const };
      }
      await rotation.markUsed(row.id);
      const issued = await this.issue(user, row.familyId, client, rotation);
      return { kind: 'rotated' as const, user, issued };
    });
    // Committed: the sign-in ends for access tokens too, on every instance.
    if (revokedFamily !== undefined) await this.states.invalidate({ kind: 'family', id: revokedFamily });

    switch (outcome.kind) {
      case 'rotated':
        return { user: toSessionUser(outcome.user), session: outcome.issued };
      case 'reused': {
        const user = await this.users.findById(outcome.row.userId);
        await this.events.record({
          type: 'auth.refresh.reused',
          principal: user ? this.principalOf(user, outcome.row.familyId) : undefined,
          decision: 'refused',
          ...client,
          reason: 'a spent refresh token was presented again: its whole family is revoked',
          details: { familyId: outcome.row.familyId },
        });
        throw new AuthException(
          ErrorCode.RefreshTokenReused,
          'This session was revoked because its refresh token was used twice; sign in again',
        );
      }
      case 'expired':
        throw new AuthException(ErrorCode.SessionExpired, 'The session has expired; sign in again');
      case 'invalid':
        throw new AuthException(ErrorCode.Unauthenticated, 'The refresh token is not valid; sign in again');
    }
  }

  /** The family a refresh token belongs to (for CSRF checks and sign-out), without spending it. */
  async familyOf(refreshToken: string): Promise<string | undefined> {
    const row = await this.refreshTokens.findByHash(sha256Hex(refreshToken));
    return row?.familyId;
  }

  /** A sign-in stands while its refresh family holds a token nobody revoked (sign-out, reuse, disable and password change revoke them all). */
  familyActive(familyId: string): Promise<boolean> {
    return this.states.familyActive(familyId);
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.refreshTokens.revokeFamily(familyId);
    await this.states.invalidate({ kind: 'family', id: familyId });
  }

  /** Every session of a user ends (disabled account, password change). */
  async revokeUserSessions(userId: string): Promise<void> {
    await this.refreshTokens.revokeUser(userId);
    await this.states.invalidate({ kind: 'user', id: userId });
  }

  async startFamily(user: UserEntity, familyId: string, client: ClientInfo): Promise<{ familyId: string; issued: IssuedSession }> {
    return { familyId, issued: await this.issue(user, familyId, client, this.refreshTokens) };
  }

  private async issue(user: UserEntity, familyId: string, client: ClientInfo, store: RefreshTokenWriter): Promise<IssuedSession> {
    const refreshToken = randomToken(32);
    await store.insert({
      userId: user.id,
      familyId,
      tokenHash: sha256Hex(refreshToken),
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000),
      ip: client.ip.slice(0, 64),
      userAgent: client.userAgent?.slice(0, 512) ?? null,
    });
    const claims: AccessClaims = { sub: user.id, name: user.username, role: user.role, sid: familyId, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, {
      algorithm: 'HS256',
      secret: jwtSecretOf(this.config),
      expiresIn: this.config.accessTokenTtlSeconds,
      jwtid: randomUUID(),
    });
    return { accessToken, refreshToken, csrfToken: this.csrf.issue(familyId) };
  }

  private principalOf(user: UserEntity, sessionId: string) {
    return { kind: 'user' as const, userId: user.id, username: user.username, role: user.role, sessionId };
  }
}

export function toSessionUser(user: UserEntity): SessionUser {
  return { id: user.id, username: user.username, role: user.role };
}
