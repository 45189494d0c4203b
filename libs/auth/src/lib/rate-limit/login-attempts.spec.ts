import { type AppConfig, loadConfig } from '@aegis/config';
import { ErrorCode } from '@aegis/contracts';
import type { AuditLog } from '@aegis/governance';
import { AuthException } from '../auth.exception';
import { type SecurityEvent, SecurityEvents } from '../security-events';
import { LimiterCounterStore } from './counter-store';
import { MemoryLimiterStorage } from './limiter-storage';
import { LoginAttemptLimiter } from './login-attempts';

/** Keeps the events in memory: the real recorder needs PostgreSQL (see login-attempts.integration-spec.ts). */
class RecordedSecurityEvents extends SecurityEvents {
  readonly events: SecurityEvent[] = [];

  constructor() {
    super(undefined as unknown as AuditLog);
  }

  override record(event: SecurityEvent): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }
}

async function refusal(attempt: Promise<void>): Promise<AuthException> {
  try {
    await attempt;
  } catch (error) {
    if (error instanceof AuthException) return error;
    throw error;
  }
  throw new Error('the attempt was allowed');
}

describe('LoginAttemptLimiter on the memory store', () => {
  let store: LimiterCounterStore;
  let events: RecordedSecurityEvents;
  let limiter: LoginAttemptLimiter;
  const config: AppConfig = loadConfig({});

  /** One failed sign-in as the login flow does it: check, then count the failure. */
  async function fail(ip: string, username: string): Promise<void> {
    await limiter.assertAllowed(ip, username);
    await limiter.recordFailure(ip, username);
  }

  beforeEach(() => {
    store = new LimiterCounterStore(new MemoryLimiterStorage());
    events = new RecordedSecurityEvents();
    limiter = new LoginAttemptLimiter(store, config, events);
  });

  afterEach(() => store.close());

  it('uses the configured defaults (5 per pair, 20 per address, per minute)', () => {
    expect(config.rateLimits.login).toEqual({ limit: 5, ttlSeconds: 60 });
    expect(config.rateLimits.loginIp).toEqual({ limit: 20, ttlSeconds: 60 });
  });

  it('refuses the 6th attempt after 5 failures of one pair, with a retry-after', async () => {
    for (let attempt = 0; attempt < 5; attempt++) await fail('203.0.113.7', 'alice');
    const error = await refusal(limiter.assertAllowed('203.0.113.7', 'alice', 'curl/8'));
    expect(error.code).toBe(ErrorCode.RateLimited);
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(error.message).toBe(`Too many failed sign-in attempts; try again in ${error.retryAfterSeconds} seconds`);
    expect(events.events).toEqual([
      {
        type: 'auth.rate_limited',
        decision: 'refused',
        ip: '203.0.113.7',
        userAgent: 'curl/8',
        details: { limit: 'login', username: 'alice' },
      },
    ]);
  });

  it('does not count successes, nor checks alone', async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      await limiter.assertAllowed('203.0.113.7', 'alice');
      await limiter.recordSuccess('203.0.113.7', 'alice');
    }
    await expect(limiter.assertAllowed('203.0.113.7', 'alice')).resolves.toBeUndefined();
  });

  it('compares usernames case-insensitively', async () => {
    for (const username of ['Alice', 'ALICE', 'alice', 'aLiCe', 'AlIcE']) await fail('203.0.113.7', username);
    const error = await refusal(limiter.assertAllowed('203.0.113.7', 'alice'));
    expect(error.code).toBe(ErrorCode.RateLimited);
  });

  it('resets the pair on success but keeps the address count', async () => {
    for (let attempt = 0; attempt < 4; attempt++) await fail('203.0.113.7', 'alice');
    await limiter.recordSuccess('203.0.113.7', 'ALICE');
    // The pair starts over: 5 more failures are needed before it is refused again.
    for (let attempt = 0; attempt < 5; attempt++) await fail('203.0.113.7', 'alice');
    await expect(refusal(limiter.assertAllowed('203.0.113.7', 'alice'))).resolves.toBeInstanceOf(AuthException);
    // 9 failures stay on the address: 11 more reach its limit of 20.
    for (let index = 0; index < 11; index++) await fail('203.0.113.7', `user${index}`);
    const error = await refusal(limiter.assertAllowed('203.0.113.7', 'someone-new'));
    expect(events.events.at(-1)?.details).toEqual({ limit: 'loginIp', username: 'someone-new' });
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('refuses a new username after 20 failures from one address; other addresses are unaffected', async () => {
    for (let index = 0; index < 20; index++) await fail('198.51.100.1', `user${index}`);
    const error = await refusal(limiter.assertAllowed('198.51.100.1', 'never-tried'));
    expect(error.code).toBe(ErrorCode.RateLimited);
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    await expect(limiter.assertAllowed('198.51.100.2', 'never-tried')).resolves.toBeUndefined();
    await expect(limiter.assertAllowed('198.51.100.2', 'user0')).resolves.toBeUndefined();
  });

  it('counts an IPv4-mapped address as the IPv4 one and an IPv6 client per /64', async () => {
    for (let attempt = 0; attempt < 5; attempt++) await fail('::ffff:203.0.113.9', 'bob');
    await expect(refusal(limiter.assertAllowed('203.0.113.9', 'bob'))).resolves.toBeInstanceOf(AuthException);
    for (let attempt = 0; attempt < 5; attempt++) await fail(`2001:db8:1:2::${attempt + 1}`, 'carol');
    await expect(refusal(limiter.assertAllowed('2001:db8:1:2:ffff::99', 'carol'))).resolves.toBeInstanceOf(AuthException);
    await expect(limiter.assertAllowed('2001:db8:1:3::1', 'carol')).resolves.toBeUndefined();
  });

  it('counts failures past the limit (concurrent attempts) without refusing the attempt that made them', async () => {
    for (let attempt = 0; attempt < 5; attempt++) await fail('203.0.113.7', 'alice');
    // Both already passed assertAllowed when the limit was reached: their failures still count, and only the next check refuses.
    await expect(limiter.recordFailure('203.0.113.7', 'alice')).resolves.toBeUndefined();
    await expect(limiter.recordFailure('203.0.113.7', 'alice')).resolves.toBeUndefined();
    await expect(refusal(limiter.assertAllowed('203.0.113.7', 'alice'))).resolves.toBeInstanceOf(AuthException);
    // 7 failures on the address: 13 more reach its limit of 20.
    for (let index = 0; index < 13; index++) await fail('203.0.113.7', `user${index}`);
    await expect(refusal(limiter.assertAllowed('203.0.113.7', 'someone-new'))).resolves.toBeInstanceOf(AuthException);
    expect(events.events.at(-1)?.details).toEqual({ limit: 'loginIp', username: 'someone-new' });
  });

  it('lets the pair in again when its window ends', async () => {
    jest.useFakeTimers();
    try {
      for (let attempt = 0; attempt < 5; attempt++) await fail('203.0.113.7', 'alice');
      await expect(refusal(limiter.assertAllowed('203.0.113.7', 'alice'))).resolves.toBeInstanceOf(AuthException);
      jest.advanceTimersByTime(60_000);
      await expect(limiter.assertAllowed('203.0.113.7', 'alice')).resolves.toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });
});
