import { type AppConfig, InjectAppConfig } from '@aegis/config';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { jwtSecretOf } from '../jwt-secret';
import type { Principal } from '../principal';
import type { AccessClaims } from '../session.service';
import { ACCESS_TOKEN_STRATEGY, presentedAccessToken } from './credentials';

/**
 * The signed-in user of the httpOnly access cookie (passport-jwt): an HS256 token with our secret,
 * unexpired, of type `access`. A missing, forged or expired token fails; it never falls back to anything.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_TOKEN_STRATEGY) {
  constructor(@InjectAppConfig() config: AppConfig) {
    super({ jwtFromRequest: presentedAccessToken, secretOrKey: jwtSecretOf(config), algorithms: ['HS256'] });
  }

  validate(claims: AccessClaims): Principal | false {
    if (claims.typ !== 'access') return false;
    return { kind: 'user', userId: claims.sub, username: claims.name, role: claims.role, sessionId: claims.sid };
  }
}
