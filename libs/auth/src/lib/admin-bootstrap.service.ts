import { randomBytes } from 'node:crypto';
import { type AppConfig, InjectAppConfig } from '@aegis/config';
import { Role } from '@aegis/contracts';
import { Injectable } from '@nestjs/common';
import { hashPassword } from './password-hasher';
import { UserRepository } from './user.repository';

export type AdminBootstrapResult =
  | { created: false }
  | { created: true; username: string; /** Set only when ADMIN_PASSWORD was not given: show it once. */ generatedPassword?: string };

/** First start: when there is no user at all, create the admin from ADMIN_USERNAME / ADMIN_PASSWORD. */
@Injectable()
export class AdminBootstrapService {
  constructor(
    private readonly users: UserRepository,
    @InjectAppConfig() private readonly config: AppConfig,
  ) {}

  async ensureAdmin(): Promise<AdminBootstrapResult> {
    if ((await this.users.count()) > 0) return { created: false };

    const given = this.config.admin.password?.reveal();
    const password = given ?? randomBytes(18).toString('base64url');
    const { username } = this.config.admin;
    const admin = await this.users.insert({ username, passwordHash: await hashPassword(password), role: Role.Admin });
    // Another instance created it first.
    if (!admin) return { created: false };
    return given ? { created: true, username } : { created: true, username, generatedPassword: password };
  }
}
