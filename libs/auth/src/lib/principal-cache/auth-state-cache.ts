import type { Role } from '@aegis/contracts';
import { BoundedTtlMap } from './bounded-ttl-map';
import type { Invalidation, InvalidationBus } from './invalidation-bus';

/** What authentication needs of an API key row. */
export interface ApiKeyState {
  id: string;
  userId: string;
  role: Role;
  revoked: boolean;
  /** Epoch milliseconds, or null for a key that never expires: expiry is judged at each use. */
  expiresAt: number | null;
}

/** What authentication needs of a user row. */
export interface UserState {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
}

/** A sign-in (refresh family): active while it holds a token nobody revoked. */
export interface FamilyState {
  userId: string | undefined;
  active: boolean;
}

/** Where the cache reads what it does not hold (the repositories). */
export interface AuthStateSource {
  apiKeyByHash(keyHash: string): Promise<ApiKeyState | undefined>;
  apiKeyById(id: string): Promise<ApiKeyState | undefined>;
  user(id: string): Promise<UserState | undefined>;
  family(id: string): Promise<FamilyState>;
}

export interface AuthStateCacheLimits {
  maxEntries: number;
  ttlMs: number;
}

/**
 * API keys, users and sign-ins as authentication reads them, kept for a short TTL and dropped by
 * the change itself: locally at once (`invalidate`, called after the change is stored) and on
 * every other instance through the bus. A load that began before an invalidation is not kept,
 * and while the bus cannot promise delivery (Redis unreachable) every lookup reads the source.
 */
export class AuthStateCache {
  private readonly keysByHash: BoundedTtlMap<string, ApiKeyState>;
  private readonly keysById: BoundedTtlMap<string, ApiKeyState>;
  private readonly users: BoundedTtlMap<string, UserState>;
  private readonly families: BoundedTtlMap<string, FamilyState>;
  /** Bumped by every invalidation: a load keeps its result only if no invalidation came while it read. */
  private generation = 0;

  constructor(
    private readonly source: AuthStateSource,
    private readonly bus: InvalidationBus,
    limits: AuthStateCacheLimits,
  ) {
    const map = <V>() => new BoundedTtlMap<string, V>(limits.maxEntries, limits.ttlMs);
    this.keysByHash = map();
    this.keysById = map();
    this.users = map();
    this.families = map();
    bus.listen(
      (invalidation) => this.drop(invalidation),
      () => this.clear(),
    );
  }

  apiKeyByHash(keyHash: string): Promise<ApiKeyState | undefined> {
    return this.cached(this.keysByHash, keyHash, () => this.source.apiKeyByHash(keyHash));
  }

  apiKeyById(id: string): Promise<ApiKeyState | undefined> {
    return this.cached(this.keysById, id, () => this.source.apiKeyById(id));
  }

  user(id: string): Promise<UserState | undefined> {
    return this.cached(this.users, id, () => this.source.user(id));
  }

  async familyActive(id: string): Promise<boolean> {
    return (await this.cached(this.families, id, () => this.source.family(id)))?.active ?? false;
  }

  /** After a change is stored: drop it here, then tell the other instances. */
  async invalidate(invalidation: Invalidation): Promise<void> {
    this.drop(invalidation);
    await this.bus.publish(invalidation);
  }

  close(): Promise<void> {
    this.clear();
    return this.bus.close();
  }

  private async cached<V>(map: BoundedTtlMap<string, V>, key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const reliable = this.bus.reliable;
    if (reliable) {
      const hit = map.get(key);
      if (hit !== undefined) return hit;
    }
    const generation = this.generation;
    const value = await load();
    // Unknown keys are not kept: a stream of made-up keys must not push real entries out.
    if (value !== undefined && reliable && this.bus.reliable && generation === this.generation) map.set(key, value);
    return value;
  }

  private drop({ kind, id }: Invalidation): void {
    this.generation++;
    if (kind === 'api_key') {
      this.keysById.delete(id);
      this.keysByHash.deleteWhere((key) => key.id === id);
    } else if (kind === 'user') {
      this.users.delete(id);
      this.families.deleteWhere((family) => family.userId === id);
    } else {
      this.families.delete(id);
    }
  }

  private clear(): void {
    this.generation++;
    for (const map of [this.keysByHash, this.keysById, this.users, this.families]) map.clear();
  }
}
