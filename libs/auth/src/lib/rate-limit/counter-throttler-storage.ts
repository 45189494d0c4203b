import type { ThrottlerStorage } from '@nestjs/throttler';
import type { CounterStore } from './counter-store';

/** The package's ThrottlerStorageRecord, which its index does not export. */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's storage over our fixed-window counters, so route limits live in Redis when
 * it is configured. A refusal lasts until the window ends: `blockDuration` is not used.
 */
export class CounterThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly counters: CounterStore) {}

  /** `ttl` is in milliseconds (throttler 6); the times returned are in whole seconds. */
  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const { count, resetInMs } = await this.counters.hit(key, ttl / 1000);
    const secondsLeft = Math.max(1, Math.ceil(resetInMs / 1000));
    const isBlocked = count > limit;
    return { totalHits: count, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }
}
