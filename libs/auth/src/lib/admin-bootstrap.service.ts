import { randomBytes } from 'node:crypto';
import { type AppConfig, InjectAppConfig } from '@aegis/config';
import { Role } from '@aegis/contracts';
import { UserEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type Repository } from 'typeorm';
import { hashPassword } from './password-hasher';

export type AdminBootstrapResult =
  | { created: false }
  | { created: true; username: string; /** Set only when ADMIN_PASSWORD was not given: show it once. */ generatedPassword?: string };

const UNIQUE_VIOLATION = '23505';

/** First start: when there is no user at all, create the admin from ADMIN_USERNAME / ADMIN_PASSWORD. */
@Injectable()
export class AdminBootstrapService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectAppConfig() private readonly config: AppConfig,
  ) {}

  async ensureAdmin(): Promise<AdminBootstrapResult> {
    if ((await this.users.count()) > 0) return { created: false };

    const given = this.config.admin.password?.reveal();
    const password = given ?? randomBytes(18).toString('base64url');
    const { username } = this.config.admin;
    try {
      await this.users.insert({ username, passwordHash: await hashPassword(password), role: Role.Admin });
    } catch (error) {
      // Another instance created it first.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        return { created: false };
      }
      throw error;
    }
    return given ? { created: true, username } : { created: true, username, generatedPassword: password };
  }
}
