import { type AppConfig, InjectAppConfig } from '@aegis/config';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { jwtSecretOf } from '../jwt-secret';
import { lowerRole, type Principal } from '../principal';
import { AuthStateCache } from '../principal-cache/auth-state-cache';
import type { AccessClaims } from '../session.service';
import { ACCESS_TOKEN_STRATEGY, presentedAccessToken } from './credentials';

/**
 * The signed-in user of the httpOnly access cookie (passport-jwt): an HS256 token with our secret,
 * unexpired, of type `access`, whose sign-in (refresh family) is not revoked and whose user is
 * enabled; the role is the lower of the token's and the user's current one. A missing, forged or
 * expired token fails; it never falls back to anything. The state comes from the auth state cache.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_TOKEN_STRATEGY) {
  constructor(
    @InjectAppConfig() config: AppConfig,
    private readonly states: AuthStateCache,
  ) {
    super({ jwtFromRequest: presentedAccessToken, secretOrKey: jwtSecretOf(config), algorithms: ['HS256'] });
  }

  async validate(claims: AccessClaims): Promise<Principal | false> {
    if (claims.typ !== 'access') return false;
    const [user, signedIn] = await Promise.all([this.states.user(claims.sub), this.states.familyActive(claims.sid)]);
    if (!user || user.disabled || !signedIn) return false;
    return { kind: 'user', userId: claims.sub, username: claims.name, role: lowerRole(claims.role, user.role), sessionId: claims.sid };
  }
}
