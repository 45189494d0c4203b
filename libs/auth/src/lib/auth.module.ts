import { APP_CONFIG, type AppConfig } from '@aegis/config';
import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthGuard } from './auth.guard';
import { Authenticator } from './authenticator';
import { AccessTokenStrategy } from './passport/access-token.strategy';
import { ApiKeyStrategy } from './passport/api-key.strategy';
import { ApiKeyUsage } from './principal-cache/api-key-usage';
import { AuthStateCache } from './principal-cache/auth-state-cache';
import { createInvalidationBus } from './principal-cache/invalidation-bus';
import { RepositoryAuthStateSource } from './principal-cache/repository-auth-state-source';
import { RefreshTokenRepository } from './refresh-token.repository';
import { SecurityEvents } from './security-events';
import { SessionService } from './session.service';
import { UserRepository } from './user.repository';
import { UsersService } from './users.service';

/** Entries live 30 s at most: a backstop, every change drops its own entry (docs/security.md "Authentication"). */
const AUTH_STATE_LIMITS = { maxEntries: 10_000, ttlMs: 30_000 };

/** Users, sessions, API keys, their passport strategies and security events. The app registers AuthGuard as the global guard. */
@Global()
@Module({
  imports: [JwtModule.register({})],
  providers: [
    AdminBootstrapService,
    ApiKeyRepository,
    ApiKeysService,
    ApiKeyUsage,
    {
      provide: AuthStateCache,
      useFactory: (keys: ApiKeyRepository, users: UserRepository, refreshTokens: RefreshTokenRepository, config: AppConfig) =>
        new AuthStateCache(new RepositoryAuthStateSource(keys, users, refreshTokens), createInvalidationBus(config), AUTH_STATE_LIMITS),
      inject: [ApiKeyRepository, UserRepository, RefreshTokenRepository, APP_CONFIG],
    },
    AccessTokenStrategy,
    ApiKeyStrategy,
    AuthGuard,
    Authenticator,
    RefreshTokenRepository,
    SecurityEvents,
    SessionService,
    UserRepository,
    UsersService,
  ],
  exports: [AdminBootstrapService, ApiKeysService, AuthGuard, Authenticator, SecurityEvents, SessionService, UsersService],
})
export class AuthModule implements OnApplicationShutdown {
  constructor(private readonly states: AuthStateCache) {}

  /** Closes the invalidation bus's Redis connections. */
  onApplicationShutdown(): Promise<void> {
    return this.states.close();
  }
}
