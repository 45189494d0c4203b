import { HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health';
import type { HealthRepository } from './health.repository';

function indicatorWith(ping: () => Promise<void>): DatabaseHealthIndicator {
  return new DatabaseHealthIndicator({ ping } as HealthRepository, new HealthIndicatorService());
}

describe('DatabaseHealthIndicator', () => {
  it('is up when SELECT 1 answers', async () => {
    await expect(indicatorWith(() => Promise.resolve()).pingCheck('database', 50)).resolves.toEqual({ database: { status: 'up' } });
  });

  it('is down without the driver error when the query fails', async () => {
    const failing = indicatorWith(() => Promise.reject(new Error('connection refused by 10.0.0.5')));
    await expect(failing.pingCheck('database', 50)).resolves.toEqual({ database: { status: 'down' } });
  });

  it('is down with the timeout when the database does not answer in time, and pings anew on the next check', async () => {
    let pings = 0;
    const hanging = indicatorWith(() => {
      pings += 1;
      return new Promise<void>(() => undefined);
    });
    await expect(hanging.pingCheck('database', 10)).resolves.toEqual({
      database: { status: 'down', message: 'timeout of 10ms exceeded' },
    });
    await hanging.pingCheck('database', 10);
    expect(pings).toBe(2);
  });

  it('shares one ping between checks that arrive while it is in flight, and pings again after it settles', async () => {
    let pings = 0;
    let answer: () => void = () => undefined;
    const indicator = indicatorWith(() => {
      pings += 1;
      return new Promise<void>((resolve) => {
        answer = resolve;
      });
    });
    const concurrent = [indicator.pingCheck('database', 1000), indicator.pingCheck('database', 1000)];
    answer();
    await expect(Promise.all(concurrent)).resolves.toEqual([{ database: { status: 'up' } }, { database: { status: 'up' } }]);
    expect(pings).toBe(1);
    const later = indicator.pingCheck('database', 1000);
    answer();
    await later;
    expect(pings).toBe(2);
  });
});
