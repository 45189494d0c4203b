import { ApiKeyEntity, RefreshTokenEntity, UserEntity } from '@aegis/database';
import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { ApiKeysService } from './api-keys.service';
import { AuthGuard } from './auth.guard';
import { Authenticator } from './authenticator';
import { AccessTokenStrategy } from './passport/access-token.strategy';
import { ApiKeyStrategy } from './passport/api-key.strategy';
import { SecurityEvents } from './security-events';
import { SessionService } from './session.service';
import { UsersService } from './users.service';

/** Users, sessions, API keys, their passport strategies and security events. The app registers AuthGuard as the global guard. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, RefreshTokenEntity, ApiKeyEntity]), JwtModule.register({})],
  providers: [AdminBootstrapService, ApiKeysService, AccessTokenStrategy, ApiKeyStrategy, AuthGuard, Authenticator, SecurityEvents, SessionService, UsersService],
  exports: [AdminBootstrapService, ApiKeysService, AuthGuard, Authenticator, SecurityEvents, SessionService, UsersService],
})
export class AuthModule {}
