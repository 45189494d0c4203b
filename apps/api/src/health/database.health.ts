import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { HealthRepository } from './health.repository';
import { TimeoutError, withTimeout } from './with-timeout';

/**
 * Up when `SELECT 1` answers within the timeout. Replaces terminus' TypeOrmHealthIndicator, which
 * re-resolves @nestjs/typeorm and typeorm with require() on every check; same report entries.
 * Checks that arrive while a ping is in flight share it (a probe storm costs one round trip, and the
 * answer is never older than that ping); the next check after it settles sends a new one.
 */
@Injectable()
export class DatabaseHealthIndicator {
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly repository: HealthRepository,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async pingCheck(key: string, timeoutMs: number): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout(this.sharedPing(), timeoutMs);
      return indicator.up();
    } catch (error) {
      if (!(error instanceof TimeoutError)) return indicator.down();
      // A ping that never answers must not hold every later check: the next one sends its own.
      this.inFlight = undefined;
      return indicator.down(`timeout of ${timeoutMs}ms exceeded`);
    }
  }

  private sharedPing(): Promise<void> {
    this.inFlight ??= this.repository.ping().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }
}
