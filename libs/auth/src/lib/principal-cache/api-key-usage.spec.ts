import type { ApiKeyRepository } from '../api-key.repository';
import { ApiKeyUsage, LAST_USED_INTERVAL_MS } from './api-key-usage';

describe('ApiKeyUsage', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  function setup() {
    const writes: [string, number][] = [];
    const markUsed = jest.fn((id: string, at: Date) => Promise.resolve(void writes.push([id, at.getTime()])));
    return { usage: new ApiKeyUsage({ markUsed } as unknown as ApiKeyRepository), writes };
  }

  it('writes a key at most once per interval, the latest use when the interval has passed, and what is left on close', async () => {
    const { usage, writes } = setup();
    const start = Date.now();
    usage.touch('k1');
    jest.advanceTimersByTime(1_000);
    usage.touch('k1');
    jest.advanceTimersByTime(1_000);
    usage.touch('k1');
    expect(writes).toEqual([['k1', start]]);

    jest.advanceTimersByTime(LAST_USED_INTERVAL_MS);
    expect(writes).toEqual([
      ['k1', start],
      ['k1', start + 2_000],
    ]);

    usage.touch('k1');
    await usage.beforeApplicationShutdown();
    expect(writes).toHaveLength(3);
  });

  it('logs a failed write instead of throwing', async () => {
    const usage = new ApiKeyUsage({ markUsed: () => Promise.reject(new Error('database down')) } as unknown as ApiKeyRepository);
    expect(() => usage.touch('k1')).not.toThrow();
    await expect(usage.beforeApplicationShutdown()).resolves.toBeUndefined();
  });
});
