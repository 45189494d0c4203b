import { setTimeout as sleep } from 'node:timers/promises';
import { Role } from '@aegis/contracts';
import { connectRedis as connect, type RedisServer, startRedisServer } from '@aegis/testing';
import { type ApiKeyState, AuthStateCache, type AuthStateSource, type UserState } from './auth-state-cache';
import { type InvalidationBus, RedisInvalidationBus } from './invalidation-bus';

/** A stand-in for the database: what it holds now, and how often it was read. */
class CountingSource implements AuthStateSource {
  reads = 0;
  users = new Map<string, UserState>();
  keys = new Map<string, ApiKeyState>();
  activeFamilies = new Map<string, string>();

  apiKeyByHash(keyHash: string): Promise<ApiKeyState | undefined> {
    this.reads++;
    return Promise.resolve(this.keys.get(keyHash));
  }

  apiKeyById(id: string): Promise<ApiKeyState | undefined> {
    this.reads++;
    return Promise.resolve([...this.keys.values()].find((key) => key.id === id));
  }

  user(id: string): Promise<UserState | undefined> {
    this.reads++;
    return Promise.resolve(this.users.get(id));
  }

  family(id: string) {
    this.reads++;
    const userId = this.activeFamilies.get(id);
    return Promise.resolve({ userId, active: userId !== undefined });
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 5_000) throw new Error('timed out');
    await sleep(20);
  }
}

/**
 * The other instance drops an entry when its event loop reads the message Redis has already sent it
 * (the change's own request waited for its echo): a lookup there sees the change within a few turns.
 */
async function seenOnOtherInstance<T>(lookup: () => Promise<T>, expected: (value: T) => boolean): Promise<T> {
  for (let waited = 0; ; waited += 5) {
    const value = await lookup();
    if (expected(value) || waited > 1_000) return value;
    await sleep(5);
  }
}

describe('AuthStateCache on a real redis-server, two instances', () => {
  let server: RedisServer;
  let source: CountingSource;
  let buses: InvalidationBus[];
  let first: AuthStateCache;
  let second: AuthStateCache;
  const limits = { maxEntries: 100, ttlMs: 30_000 };

  beforeEach(async () => {
    server = await startRedisServer();
    source = new CountingSource();
    source.users.set('u1', { id: 'u1', username: 'opal', role: Role.Admin, disabled: false });
    source.keys.set('hash1', { id: 'k1', userId: 'u1', role: Role.Operator, revoked: false, expiresAt: null });
    source.activeFamilies.set('f1', 'u1');
    buses = [new RedisInvalidationBus(connect(server), connect(server)), new RedisInvalidationBus(connect(server), connect(server))];
    first = new AuthStateCache(source, buses[0], limits);
    second = new AuthStateCache(source, buses[1], limits);
    await until(() => buses.every((bus) => bus.reliable));
  });

  afterEach(async () => {
    await Promise.all([first.close(), second.close()]);
    await server.stop();
  });

  it('reads the source once per entry while nothing changes', async () => {
    for (let round = 0; round < 3; round++) {
      await first.user('u1');
      await first.apiKeyByHash('hash1');
      await first.familyActive('f1');
    }
    expect(source.reads).toBe(3);
  });

  it('drops a changed user, key or sign-in on the other instance as soon as it reads the message', async () => {
    await second.user('u1');
    await second.apiKeyByHash('hash1');
    await second.apiKeyById('k1');
    await second.familyActive('f1');

    source.users.set('u1', { id: 'u1', username: 'opal', role: Role.Viewer, disabled: true });
    await first.invalidate({ kind: 'user', id: 'u1' });
    expect(
      await seenOnOtherInstance(
        () => second.user('u1'),
        (user) => user?.disabled === true,
      ),
    ).toMatchObject({
      role: Role.Viewer,
      disabled: true,
    });

    source.keys.set('hash1', { id: 'k1', userId: 'u1', role: Role.Operator, revoked: true, expiresAt: null });
    await first.invalidate({ kind: 'api_key', id: 'k1' });
    expect(
      await seenOnOtherInstance(
        () => second.apiKeyByHash('hash1'),
        (key) => key?.revoked === true,
      ),
    ).toMatchObject({ revoked: true });
    expect(await second.apiKeyById('k1')).toMatchObject({ revoked: true });

    source.activeFamilies.delete('f1');
    await first.invalidate({ kind: 'family', id: 'f1' });
    expect(
      await seenOnOtherInstance(
        () => second.familyActive('f1'),
        (active) => !active,
      ),
    ).toBe(false);
  });

  it('ends the cached sign-ins of a user whose sessions all end', async () => {
    expect(await second.familyActive('f1')).toBe(true);
    source.activeFamilies.delete('f1');
    await first.invalidate({ kind: 'user', id: 'u1' });
    expect(
      await seenOnOtherInstance(
        () => second.familyActive('f1'),
        (active) => !active,
      ),
    ).toBe(false);
  });

  it('keeps no result of a load that an invalidation overtook', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const read = source.user.bind(source);
    source.user = async (id) => {
      const before = await read(id);
      await slow;
      return before;
    };
    const stale = first.user('u1');
    source.users.set('u1', { id: 'u1', username: 'opal', role: Role.Viewer, disabled: false });
    await first.invalidate({ kind: 'user', id: 'u1' });
    release();
    await stale;
    source.user = read;
    expect(await first.user('u1')).toMatchObject({ role: Role.Viewer });
  });

  it('reads the source on every lookup while Redis is unreachable, and not the cache it held', async () => {
    await second.user('u1');
    await server.stop();
    await until(() => !buses[1].reliable);
    source.users.set('u1', { id: 'u1', username: 'opal', role: Role.Admin, disabled: true });
    const before = source.reads;
    expect(await second.user('u1')).toMatchObject({ disabled: true });
    expect(await second.user('u1')).toMatchObject({ disabled: true });
    expect(source.reads).toBe(before + 2);
    // A change made meanwhile is not lost: publishing fails, is logged, and the change stands.
    await expect(first.invalidate({ kind: 'user', id: 'u1' })).resolves.toBeUndefined();
    server = await startRedisServer();
  });
});
