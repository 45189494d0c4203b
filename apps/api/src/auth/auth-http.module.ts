import { Module } from '@nestjs/common';
import { ApiKeysController } from './api-keys.controller';
import { AuthController } from './auth.controller';
import { UsersController } from './users.controller';

/** The HTTP face of libs/auth: sign-in and sessions, user administration, API keys. */
@Module({ controllers: [AuthController, UsersController, ApiKeysController] })
export class AuthHttpModule {}
