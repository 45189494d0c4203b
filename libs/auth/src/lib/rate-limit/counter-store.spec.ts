import { hashKeyPart, LimiterCounterStore } from './counter-store';
import { MemoryLimiterStorage } from './limiter-storage';

describe('LimiterCounterStore on memory', () => {
  let storage: MemoryLimiterStorage;
  let store: LimiterCounterStore;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    storage = new MemoryLimiterStorage();
    store = new LimiterCounterStore(storage);
  });

  afterEach(async () => {
    await store.close();
    jest.useRealTimers();
  });

  it('counts hits in a window that starts at the first hit and is not extended by later ones', async () => {
    await expect(store.hit('k', 10)).resolves.toEqual({ count: 1, resetInMs: 10_000 });
    jest.advanceTimersByTime(4_000);
    await expect(store.hit('k', 10)).resolves.toEqual({ count: 2, resetInMs: 6_000 });
    await expect(store.peek('k')).resolves.toEqual({ count: 2, resetInMs: 6_000 });
    jest.advanceTimersByTime(5_999);
    await expect(store.hit('k', 10)).resolves.toEqual({ count: 3, resetInMs: 1 });
  });

  it('starts a new window once the old one has expired', async () => {
    await store.hit('k', 10);
    await store.hit('k', 10);
    jest.advanceTimersByTime(10_000);
    await expect(store.peek('k')).resolves.toEqual({ count: 0, resetInMs: 0 });
    await expect(store.hit('k', 10)).resolves.toEqual({ count: 1, resetInMs: 10_000 });
  });

  it('keeps keys apart and resets one without touching the others', async () => {
    await store.hit('a', 10);
    await store.hit('a', 10);
    await store.hit('b', 10);
    await store.reset('a');
    await expect(store.peek('a')).resolves.toEqual({ count: 0, resetInMs: 0 });
    await expect(store.peek('b')).resolves.toEqual({ count: 1, resetInMs: 10_000 });
    await expect(store.hit('a', 10)).resolves.toEqual({ count: 1, resetInMs: 10_000 });
  });

  it('rounds a sub-second window up to one second, as Redis does', async () => {
    await expect(store.hit('k', 0.25)).resolves.toEqual({ count: 1, resetInMs: 1_000 });
    jest.advanceTimersByTime(1_000);
    await expect(store.hit('k', 0.25)).resolves.toEqual({ count: 1, resetInMs: 1_000 });
  });

  it('drops expired keys on their timers, without reading them', async () => {
    await store.hit('short', 1);
    await store.hit('long', 60);
    expect(storage.size).toBe(2);
    jest.advanceTimersByTime(1_000);
    expect(storage.size).toBe(1);
    await expect(store.peek('long')).resolves.toEqual({ count: 1, resetInMs: 59_000 });
  });

  it('keeps the limiters it makes apart from the counters, under their own prefix', async () => {
    const limiter = store.limiter({ keyPrefix: 'login:ip', points: 2, duration: 60 });
    expect(limiter.getKey('x')).toBe('aegis:rl:login:ip:x');
    await limiter.consume('k');
    await expect(store.peek('k')).resolves.toEqual({ count: 0, resetInMs: 0 });
    expect(storage.size).toBe(1);
  });

  it('stops every timer on close', async () => {
    await store.hit('k', 60);
    await store.limiter({ keyPrefix: 'other', points: 5, duration: 60 }).consume('k');
    expect(jest.getTimerCount()).toBe(2);
    await store.close();
    expect(jest.getTimerCount()).toBe(0);
    expect(storage.size).toBe(0);
  });
});

describe('hashKeyPart', () => {
  it('gives 32 hex characters that never contain the input', () => {
    const hashed = hashKeyPart('alice:*{}\n');
    expect(hashed).toMatch(/^[0-9a-f]{32}$/);
    expect(hashKeyPart('alice:*{}\n')).toBe(hashed);
    expect(hashKeyPart('alice')).not.toBe(hashed);
  });
});
