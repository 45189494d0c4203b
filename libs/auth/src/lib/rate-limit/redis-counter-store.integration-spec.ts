import type { Redis } from 'ioredis';
import { LimiterCounterStore } from './counter-store';
import { RedisLimiterStorage } from './limiter-storage';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectRedis as connect, type RedisServer, startRedisServer } from '@aegis/testing';

describe('LimiterCounterStore on a real redis-server', () => {
  let server: RedisServer;
  let admin: Redis;
  let stores: LimiterCounterStore[] = [];

  const newStore = (): LimiterCounterStore => {
    const store = new LimiterCounterStore(new RedisLimiterStorage(connect(server)));
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    admin = connect(server);
  });

  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
    stores = [];
    await admin.flushall();
  });

  afterAll(async () => {
    await admin?.quit();
    await server?.stop();
  });

  it('counts hits under aegis:rl: with the window set by the first hit only', async () => {
    const store = newStore();
    const first = await store.hit('k', 60);
    expect(first.count).toBe(1);
    expect(first.resetInMs).toBeGreaterThan(59_000);
    expect(first.resetInMs).toBeLessThanOrEqual(60_000);
    await sleep(120);
    const second = await store.hit('k', 60);
    expect(second.count).toBe(2);
    expect(second.resetInMs).toBeLessThanOrEqual(first.resetInMs - 100);

    expect(await admin.keys('*')).toEqual(['aegis:rl:k']);
    expect(await admin.get('aegis:rl:k')).toBe('2');
    expect(await admin.pttl('aegis:rl:k')).toBeGreaterThan(58_000);
    const peeked = await store.peek('k');
    expect(peeked.count).toBe(2);
    expect(peeked.resetInMs).toBeGreaterThan(58_000);
    await expect(store.peek('absent')).resolves.toEqual({ count: 0, resetInMs: 0 });
  });

  it('starts a new window when the old one expires, and resets on demand', async () => {
    const store = newStore();
    // Redis windows are whole seconds (EX): one second is the shortest.
    await store.hit('short', 1);
    await store.hit('short', 1);
    await sleep(1_100);
    await expect(store.peek('short')).resolves.toEqual({ count: 0, resetInMs: 0 });
    expect((await store.hit('short', 1)).count).toBe(1);

    await store.hit('other', 60);
    await store.reset('short');
    await expect(store.peek('short')).resolves.toEqual({ count: 0, resetInMs: 0 });
    expect((await store.peek('other')).count).toBe(1);
  });

  it('gives a key left without expiry a window instead of counting forever', async () => {
    await admin.set('aegis:rl:stuck', '7');
    const window = await newStore().hit('stuck', 30);
    expect(window.count).toBe(8);
    expect(window.resetInMs).toBe(30_000);
    expect(await admin.pttl('aegis:rl:stuck')).toBeGreaterThan(29_000);
  });

  it('shares counters between instances (several API processes), atomically', async () => {
    const [a, b] = [newStore(), newStore()];
    const windows = await Promise.all(Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? a : b).hit('shared', 60)));
    expect(windows.map((window) => window.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    expect((await b.peek('shared')).count).toBe(50);
    await a.reset('shared');
    expect((await b.peek('shared')).count).toBe(0);
  });

  it('keeps the limiters it makes on the same connection, under their own prefix', async () => {
    const store = newStore();
    const limiter = store.limiter({ keyPrefix: 'login:ip', points: 1, duration: 60 });
    await limiter.consume('k');
    await expect(limiter.consume('k')).rejects.toMatchObject({ consumedPoints: 2 });
    expect(await admin.keys('*')).toEqual(['aegis:rl:login:ip:k']);
    await expect(store.peek('k')).resolves.toEqual({ count: 0, resetInMs: 0 });
  });

  it('closes its connection', async () => {
    const client = connect(server);
    const store = new LimiterCounterStore(new RedisLimiterStorage(client));
    await store.hit('k', 60);
    await store.close();
    expect(client.status).toBe('end');
    await store.close();
  });
});
