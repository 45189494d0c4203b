import type { ApiKeyEntity } from '@aegis/database';
import type { ApiKeyRepository } from '../api-key.repository';
import type { RefreshTokenRepository } from '../refresh-token.repository';
import type { UserRepository } from '../user.repository';
import type { ApiKeyState, AuthStateSource, FamilyState, UserState } from './auth-state-cache';

function apiKeyState(entity: ApiKeyEntity | null): ApiKeyState | undefined {
  if (!entity) return undefined;
  const { id, userId, role, revokedAt, expiresAt } = entity;
  return { id, userId, role, revoked: revokedAt !== null, expiresAt: expiresAt?.getTime() ?? null };
}

/** The cache's source: the auth repositories, each row reduced to what authentication reads. */
export class RepositoryAuthStateSource implements AuthStateSource {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
  ) {}

  async apiKeyByHash(keyHash: string): Promise<ApiKeyState | undefined> {
    return apiKeyState(await this.keys.findByHash(keyHash));
  }

  async apiKeyById(id: string): Promise<ApiKeyState | undefined> {
    return apiKeyState(await this.keys.findById(id));
  }

  async user(id: string): Promise<UserState | undefined> {
    const user = await this.users.findById(id);
    return user ? { id: user.id, username: user.username, role: user.role, disabled: user.disabled } : undefined;
  }

  async family(id: string): Promise<FamilyState> {
    const userId = await this.refreshTokens.activeFamilyOwner(id);
    return { userId, active: userId !== undefined };
  }
}
