import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import passport from 'passport';
import { ApiKeysService } from '../api-keys.service';
import type { Principal } from '../principal';
import { API_KEY_STRATEGY, presentedApiKey } from './credentials';

type VerifyApiKey = (key: string, done: (error: Error | null, principal?: Principal | false | null) => void) => void;

/**
 * `Authorization: Bearer aegis_…` as a passport strategy. Not passport-http-bearer: that one also
 * reads `access_token` from the query string and the body, and a key must never travel in a URL.
 */
class BearerApiKeyStrategy extends passport.Strategy {
  constructor(private readonly verify: VerifyApiKey) {
    super();
  }

  override authenticate(request: Request): void {
    const key = presentedApiKey(request);
    if (key === undefined) return this.fail(401);
    this.verify(key, (error, principal) => {
      if (error) return this.error(error);
      return principal ? this.success(principal) : this.fail(401);
    });
  }
}

/** The caller behind an API key: unknown, revoked, expired keys and disabled owners fail; the role is never above the owner's. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(BearerApiKeyStrategy, API_KEY_STRATEGY) {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  async validate(key: string): Promise<Principal | false> {
    return (await this.apiKeys.authenticate(key)) ?? false;
  }
}
