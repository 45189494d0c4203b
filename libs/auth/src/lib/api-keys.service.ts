import { ErrorCode, Role, roleAtLeast } from '@aegis/contracts';
import type { ApiKeyEntity } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { ApiKeyRepository } from './api-key.repository';
import { AuthException } from './auth.exception';
import { lowerRole, type Principal } from './principal';
import { ApiKeyUsage } from './principal-cache/api-key-usage';
import { type ApiKeyState, AuthStateCache } from './principal-cache/auth-state-cache';
import { SecurityEvents } from './security-events';
import { randomToken, sha256Hex } from './secure-token';
import type { ClientInfo } from './session.service';

export const API_KEY_PREFIX = 'aegis_';
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export interface CreatedApiKey extends ApiKeySummary {
  /** Shown once; only its hash is stored. */
  key: string;
}

function summary(entity: ApiKeyEntity): ApiKeySummary {
  const { id, name, prefix, role, expiresAt, revokedAt, lastUsedAt, createdAt } = entity;
  return { id, name, prefix, role, expiresAt, revokedAt, lastUsedAt, createdAt };
}

const usable = (key: ApiKeyState | undefined): key is ApiKeyState =>
  key !== undefined && !key.revoked && (key.expiresAt === null || key.expiresAt > Date.now());

/** API keys for programs: a role no higher than the creator's, optional expiry, stored hashed, revocable. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly states: AuthStateCache,
    private readonly usage: ApiKeyUsage,
    private readonly events: SecurityEvents,
  ) {}

  async create(owner: Principal, input: { name: string; role?: Role; expiresAt?: Date }, client: ClientInfo): Promise<CreatedApiKey> {
    const role = input.role ?? owner.role;
    if (!roleAtLeast(owner.role, role)) {
      throw new AuthException(ErrorCode.Forbidden, `An API key cannot have a higher role than its creator (${owner.role})`);
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new AuthException(ErrorCode.ValidationFailed, 'expiresAt must be in the future', ['expiresAt must be in the future']);
    }
    const key = `${API_KEY_PREFIX}${randomToken(32)}`;
    const entity = await this.keys.create({
      userId: owner.userId,
      name: input.name,
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      keyHash: sha256Hex(key),
      role,
      expiresAt: input.expiresAt ?? null,
    });
    await this.events.record({
      type: 'auth.api_key.created',
      principal: owner,
      decision: 'allowed',
      ...client,
      details: { apiKeyId: entity.id, name: entity.name, prefix: entity.prefix, role, expiresAt: entity.expiresAt?.toISOString() ?? null },
    });
    return { ...summary(entity), key };
  }

  async list(userId: string): Promise<ApiKeySummary[]> {
    return (await this.keys.listOf(userId)).map(summary);
  }

  /** The owner, or an admin, revokes a key; anyone else learns nothing about it (404). */
  async revoke(actor: Principal, id: string, client: ClientInfo): Promise<void> {
    const entity = await this.keys.findById(id);
    if (!entity || (entity.userId !== actor.userId && actor.role !== Role.Admin)) {
      throw new AuthException(ErrorCode.NotFound, 'No such API key');
    }
    if (!entity.revokedAt) {
      await this.keys.revoke(id);
      await this.states.invalidate({ kind: 'api_key', id });
    }
    await this.events.record({
      type: 'auth.api_key.revoked',
      principal: actor,
      decision: 'allowed',
      ...client,
      details: { apiKeyId: id, prefix: entity.prefix, ownerId: entity.userId },
    });
  }

  /** The role an API key holds now (never above its own), or undefined when it is revoked, expired or gone; the owner is checked by the caller. */
  async currentRole(id: string): Promise<Role | undefined> {
    const key = await this.states.apiKeyById(id);
    return usable(key) ? key.role : undefined;
  }

  /**
   * The principal behind a presented key, or undefined when it is unknown, revoked, expired or its owner is disabled.
   * Key and owner come from the auth state cache; the use is recorded off the request's path (coarse last_used_at).
   */
  async authenticate(key: string): Promise<Principal | undefined> {
    if (!key.startsWith(API_KEY_PREFIX)) return undefined;
    const entity = await this.states.apiKeyByHash(sha256Hex(key));
    if (!usable(entity)) return undefined;
    const owner = await this.states.user(entity.userId);
    if (!owner || owner.disabled) return undefined;
    this.usage.touch(entity.id);
    // A key never outranks its owner, even after the owner was demoted.
    return { kind: 'api_key', userId: owner.id, username: owner.username, role: lowerRole(entity.role, owner.role), apiKeyId: entity.id };
  }
}
