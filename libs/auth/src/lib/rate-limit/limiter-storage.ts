import type { AppConfig } from '@aegis/config';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

/** A rate-limiter-flexible limiter: `points` per window of `duration` seconds, keys under `keyPrefix:`. */
export interface LimiterSettings {
  keyPrefix: string;
  points: number;
  duration: number;
}

/** Where limiters keep their counts: this process (RateLimiterMemory) or Redis (RateLimiterRedis). */
export interface LimiterStorage {
  create(settings: LimiterSettings): RateLimiterAbstract;
  close(): Promise<void>;
}

/**
 * Counts in this process only: right for a single API instance (no REDIS_URL). Each key is dropped
 * by its own unref'd timer when its window ends, so nothing needs sweeping.
 */
export class MemoryLimiterStorage implements LimiterStorage {
  private readonly limiters: RateLimiterMemory[] = [];

  create(settings: LimiterSettings): RateLimiterAbstract {
    const limiter = new RateLimiterMemory(settings);
    this.limiters.push(limiter);
    return limiter;
  }

  /** Keys held by every limiter made here (a key is dropped when its window ends). */
  get size(): number {
    return this.limiters.reduce((total, limiter) => total + limiter.dump().storage.length, 0);
  }

  /** Forgets every count, which also stops the keys' timers. */
  async close(): Promise<void> {
    await Promise.all(this.limiters.flatMap((limiter) => limiter.dump().storage.map((record) => limiter.delete(record.key))));
  }
}

/**
 * Counts in Redis, shared by every API instance; owns (and closes) its ioredis connection. A Redis
 * error fails the request (no insurance limiter): see docs/security.md, "Rate limits".
 */
export class RedisLimiterStorage implements LimiterStorage {
  private readonly logger = new Logger(RedisLimiterStorage.name);

  constructor(private readonly redis: Redis) {
    // Without a listener ioredis prints connection errors itself; requests still fail on their own.
    redis.on('error', (error: unknown) => this.logger.warn({ err: error }, 'Redis connection error (rate limits)'));
  }

  create(settings: LimiterSettings): RateLimiterAbstract {
    // ioredis is the client: rate-limiter-flexible's default (useRedisPackage is for node-redis).
    return new RateLimiterRedis({ ...settings, storeClient: this.redis });
  }

  close(): Promise<void> {
    return quitRedis(this.redis);
  }
}

/** Closes an ioredis connection and waits until it has ended. */
export async function quitRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  // QUIT waits for pending replies, but only a connected client can send it without waiting to reconnect.
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  const ended = new Promise((resolve) => redis.once('end', resolve));
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
  await ended;
}

/** Redis when REDIS_URL is set (counts shared by every API instance), process memory otherwise. */
export function createLimiterStorage(config: AppConfig): LimiterStorage {
  const url = config.redisUrl?.reveal();
  if (url === undefined) return new MemoryLimiterStorage();
  return new RedisLimiterStorage(
    new Redis(url, {
      connectionName: 'aegis-rate-limit',
      // A request waits through at most two reconnection attempts, then fails instead of hanging.
      maxRetriesPerRequest: 2,
    }),
  );
}
