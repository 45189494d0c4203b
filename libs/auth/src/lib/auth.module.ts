import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthGuard } from './auth.guard';
import { Authenticator } from './authenticator';
import { AccessTokenStrategy } from './passport/access-token.strategy';
import { ApiKeyStrategy } from './passport/api-key.strategy';
import { RefreshTokenRepository } from './refresh-token.repository';
import { SecurityEvents } from './security-events';
import { SessionService } from './session.service';
import { UserRepository } from './user.repository';
import { UsersService } from './users.service';

/** Users, sessions, API keys, their passport strategies and security events. The app registers AuthGuard as the global guard. */
@Global()
@Module({
  imports: [JwtModule.register({})],
  providers: [
    AdminBootstrapService,
    ApiKeyRepository,
    ApiKeysService,
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
export class AuthModule {}
