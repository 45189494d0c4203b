import { ErrorCode } from '@aegis/contracts';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Redis } from 'ioredis';
import { AuthException } from '../auth.exception';
import { LoginAttemptLimiter } from './login-attempts';
import { type RateLimitedAudit, startTwoInstances, type TwoInstances } from './testing/rate-limit-test-app';

describe('LoginAttemptLimiter in two Nest apps on Redis and PostgreSQL', () => {
  let instances: TwoInstances;
  let admin: Redis;
  let audit: RateLimitedAudit;
  let first: NestExpressApplication;
  let second: NestExpressApplication;

  beforeAll(async () => {
    instances = await startTwoInstances();
    ({ admin, audit, first, second } = instances);
  });

  beforeEach(() => instances.reset());

  afterAll(() => instances?.stop());

  it('limits failed sign-ins across instances and records the refusal', async () => {
    const [limiterA, limiterB] = [first.get(LoginAttemptLimiter), second.get(LoginAttemptLimiter)];
    for (let attempt = 0; attempt < 5; attempt++) {
      const limiter = attempt % 2 === 0 ? limiterA : limiterB;
      await limiter.assertAllowed('192.0.2.10', 'Dana');
      await limiter.recordFailure('192.0.2.10', 'Dana');
    }
    const refusal = await limiterB.assertAllowed('192.0.2.10', 'dana', 'browser/2').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(AuthException);
    expect(refusal).toMatchObject({ code: ErrorCode.RateLimited });
    expect((refusal as AuthException).retryAfterSeconds).toBeGreaterThan(0);
    await expect(limiterA.assertAllowed('192.0.2.11', 'dana')).resolves.toBeUndefined();

    await limiterA.recordSuccess('192.0.2.10', 'DANA');
    await expect(limiterB.assertAllowed('192.0.2.10', 'dana')).resolves.toBeUndefined();
    expect(JSON.stringify(await admin.keys('*'))).not.toMatch(/dana|192\.0\.2/i);

    expect(await audit.rows()).toEqual([
      {
        actor_type: 'anonymous',
        actor_id: null,
        decision: 'refused',
        args: { limit: 'login', username: 'dana' },
        ip: '192.0.2.10',
        user_agent: 'browser/2',
      },
    ]);
  });

  it('keeps the failures under aegis:rl:login:pair: and aegis:rl:login:ip:, one window each', async () => {
    await first.get(LoginAttemptLimiter).recordFailure('192.0.2.20', 'erin');
    const keys = (await admin.keys('*')).sort();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^aegis:rl:login:ip:[0-9a-f]{32}$/);
    expect(keys[1]).toMatch(/^aegis:rl:login:pair:[0-9a-f]{32}$/);
    for (const key of keys) {
      expect(await admin.get(key)).toBe('1');
      expect(await admin.pttl(key)).toBeGreaterThan(55_000);
    }
  });
});
