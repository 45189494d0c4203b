import { LimiterCounterStore } from './counter-store';
import { CounterThrottlerStorage } from './counter-throttler-storage';
import { MemoryLimiterStorage } from './limiter-storage';

describe('CounterThrottlerStorage', () => {
  let counters: LimiterCounterStore;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    counters = new LimiterCounterStore(new MemoryLimiterStorage());
  });

  afterEach(async () => {
    await counters.close();
    jest.useRealTimers();
  });

  it('turns milliseconds into a fixed window and blocks past the limit until the window ends', async () => {
    const storage = new CounterThrottlerStorage(counters);
    await expect(storage.increment('k', 60_000, 2)).resolves.toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    jest.advanceTimersByTime(20_500);
    await expect(storage.increment('k', 60_000, 2)).resolves.toEqual({
      totalHits: 2,
      timeToExpire: 40,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    await expect(storage.increment('k', 60_000, 2)).resolves.toEqual({
      totalHits: 3,
      timeToExpire: 40,
      isBlocked: true,
      timeToBlockExpire: 40,
    });
    jest.advanceTimersByTime(39_500);
    await expect(storage.increment('k', 60_000, 2)).resolves.toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  });
});
