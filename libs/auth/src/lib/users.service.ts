import { ErrorCode, Role } from '@aegis/contracts';
import type { UserEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { AuthException } from './auth.exception';
import { hashPassword, verifyPassword } from './password-hasher';
import { passwordProblems } from './password-policy';
import { AuthStateCache, type UserState } from './principal-cache/auth-state-cache';
import type { Principal } from './principal';
import { SecurityEvents } from './security-events';
import { type ClientInfo, SessionService } from './session.service';
import { UserRepository } from './user.repository';

export interface UserSummary {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
}

export interface UserChanges {
  role?: Role;
  disabled?: boolean;
  password?: string;
}

function summary({ id, username, role, disabled, createdAt }: UserEntity): UserSummary {
  return { id, username, role, disabled, createdAt };
}

function assertPasswordPolicy(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length > 0) throw new AuthException(ErrorCode.WeakPassword, problems.join('; '), problems);
}

/** Users and roles, managed by admins; the last active admin can be neither demoted nor disabled. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionService,
    private readonly states: AuthStateCache,
    private readonly events: SecurityEvents,
  ) {}

  async list(): Promise<UserSummary[]> {
    return (await this.users.list()).map(summary);
  }

  /** Whether a user is enabled and with which role, as authentication sees it now (cached, dropped by every change). */
  state(id: string): Promise<UserState | undefined> {
    return this.states.user(id);
  }

  async create(
    actor: Principal | undefined,
    input: { username: string; password: string; role: Role },
    client: ClientInfo,
  ): Promise<UserSummary> {
    assertPasswordPolicy(input.password, input.username);
    const user = await this.users.insert({ username: input.username, passwordHash: await hashPassword(input.password), role: input.role });
    if (!user) throw new AuthException(ErrorCode.UsernameTaken, `The username '${input.username}' is taken`);
    await this.events.record({
      type: 'auth.user.created',
      principal: actor,
      decision: 'allowed',
      ...client,
      details: { userId: user.id, username: user.username, role: user.role },
    });
    return summary(user);
  }

  async update(actor: Principal, id: string, changes: UserChanges, client: ClientInfo): Promise<UserSummary> {
    const user = await this.users.findById(id);
    if (!user) throw new AuthException(ErrorCode.NotFound, 'No such user');
    const losesAdmin =
      user.role === Role.Admin && !user.disabled && ((changes.role && changes.role !== Role.Admin) || changes.disabled === true);
    if (losesAdmin && (await this.users.countActiveAdminsExcept(id)) === 0) {
      throw new AuthException(ErrorCode.LastAdmin, 'This is the last active admin: make another admin first');
    }
    if (changes.password !== undefined) assertPasswordPolicy(changes.password, user.username);

    const before = { role: user.role, disabled: user.disabled };
    if (changes.role) user.role = changes.role;
    if (changes.disabled !== undefined) user.disabled = changes.disabled;
    if (changes.password !== undefined) user.passwordHash = await hashPassword(changes.password);
    await this.users.save(user);
    await this.states.invalidate({ kind: 'user', id });

    if (changes.password !== undefined || (changes.disabled && !before.disabled)) await this.sessions.revokeUserSessions(id);
    const base = { principal: actor, decision: 'allowed' as const, ...client };
    if (changes.role && changes.role !== before.role) {
      await this.events.record({ ...base, type: 'auth.user.role_changed', details: { userId: id, from: before.role, to: changes.role } });
    }
    if (changes.disabled !== undefined && changes.disabled !== before.disabled) {
      await this.events.record({ ...base, type: changes.disabled ? 'auth.user.disabled' : 'auth.user.enabled', details: { userId: id } });
    }
    if (changes.password !== undefined) {
      await this.events.record({ ...base, type: 'auth.password.changed', details: { userId: id, by: 'admin' } });
    }
    return summary(user);
  }

  /** A user changes their own password: the current one is required, every session ends. */
  async changeOwnPassword(actor: Principal, currentPassword: string, newPassword: string, client: ClientInfo): Promise<void> {
    const user = await this.users.findById(actor.userId);
    if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new AuthException(ErrorCode.InvalidCredentials, 'The current password is not correct');
    }
    assertPasswordPolicy(newPassword, user.username);
    user.passwordHash = await hashPassword(newPassword);
    await this.users.save(user);
    await this.sessions.revokeUserSessions(user.id);
    await this.events.record({
      type: 'auth.password.changed',
      principal: actor,
      decision: 'allowed',
      ...client,
      details: { userId: user.id, by: 'self' },
    });
  }
}
