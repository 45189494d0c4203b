import { type AppConfig, APP_CONFIG } from '@aegis/config';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type HealthIndicatorFunction, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Redis } from 'ioredis';
import { TimeoutError, withTimeout } from './with-timeout';

/**
 * Readiness of REDIS_URL, when it is set: a PING on this indicator's own connection. The connection
 * never queues commands while it is down (the check answers at once) and reconnects by itself, so
 * the report turns up again as soon as Redis is back.
 */
@Injectable()
export class RedisHealthIndicator implements OnModuleDestroy {
  private readonly redis: Redis | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly indicators: HealthIndicatorService,
  ) {
    const url = config.redisUrl?.reveal();
    this.redis =
      url === undefined
        ? undefined
        : new Redis(url, { connectionName: 'aegis-health', enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    // Without a listener ioredis prints every failed reconnection; the readiness report already says Redis is down.
    this.redis?.on('error', () => undefined);
  }

  /** The readiness check when REDIS_URL is set; none otherwise. */
  checks(key: string, timeoutMs: number): HealthIndicatorFunction[] {
    const redis = this.redis;
    return redis ? [() => this.pingCheck(redis, key, timeoutMs)] : [];
  }

  private async pingCheck(redis: Redis, key: string, timeoutMs: number): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout(redis.ping(), timeoutMs);
      return indicator.up();
    } catch (error) {
      return indicator.down(error instanceof TimeoutError ? `timeout of ${timeoutMs}ms exceeded` : 'not connected');
    }
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}
