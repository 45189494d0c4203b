import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { HealthRepository } from './health.repository';

class PingTimeoutError extends Error {}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PingTimeoutError()), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Up when `SELECT 1` answers within the timeout. Replaces terminus' TypeOrmHealthIndicator, which
 * re-resolves @nestjs/typeorm and typeorm with require() on every check; same report entries.
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly repository: HealthRepository,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async pingCheck(key: string, timeoutMs: number): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout(this.repository.ping(), timeoutMs);
      return indicator.up();
    } catch (error) {
      return error instanceof PingTimeoutError ? indicator.down(`timeout of ${timeoutMs}ms exceeded`) : indicator.down();
    }
  }
}
