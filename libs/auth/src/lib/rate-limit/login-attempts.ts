import { type AppConfig, InjectAppConfig } from '@aegis/config';
import { ErrorCode } from '@aegis/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { AuthException } from '../auth.exception';
import { SecurityEvents } from '../security-events';
import { COUNTER_STORE, type CounterStore, hashKeyPart } from './counter-store';

type LoginLimitName = 'login' | 'loginIp';

interface Reached {
  name: LoginLimitName;
  retryAfterSeconds: number;
}

/**
 * Failed sign-ins per client address + username (RATE_LIMIT_LOGIN) and per client address
 * (RATE_LIMIT_LOGIN_IP), after rate-limiter-flexible's "login endpoint protection" recipe: read
 * both limiters before checking the password, consume a point from each on a failure, delete the
 * pair on a success (the address keeps its count). Where it differs, see docs/security.md.
 */
@Injectable()
export class LoginAttemptLimiter {
  /** The recipe's "consecutive fails by username and IP". */
  private readonly failuresByPair: RateLimiterAbstract;
  /** The recipe's "slow brute force by IP". */
  private readonly failuresByAddress: RateLimiterAbstract;

  constructor(
    @Inject(COUNTER_STORE) counters: CounterStore,
    @InjectAppConfig() config: AppConfig,
    private readonly securityEvents: SecurityEvents,
  ) {
    const { login, loginIp } = config.rateLimits;
    // No blockDuration: a refusal lasts until the window opened by the first failure ends (docs/security.md).
    this.failuresByPair = counters.limiter({ keyPrefix: 'login:pair', points: login.limit, duration: login.ttlSeconds });
    this.failuresByAddress = counters.limiter({ keyPrefix: 'login:ip', points: loginIp.limit, duration: loginIp.ttlSeconds });
  }

  /**
   * Call before checking the password. Throws RATE_LIMITED (with Retry-After) once either limit
   * is reached, and records the refusal as a security event.
   */
  async assertAllowed(ip: string, username: string, userAgent?: string): Promise<void> {
    const [pair, address] = await Promise.all([this.failuresByPair.get(pairKey(ip, username)), this.failuresByAddress.get(addressKey(ip))]);
    const reached = [reachedLimit('login', this.failuresByPair, pair), reachedLimit('loginIp', this.failuresByAddress, address)].filter(
      (limit) => limit !== undefined,
    );
    if (reached.length === 0) return;

    // The limit that keeps the client out the longest is the one to report.
    const binding = reached.reduce((longest, limit) => (limit.retryAfterSeconds > longest.retryAfterSeconds ? limit : longest));
    await this.securityEvents.record({
      type: 'auth.rate_limited',
      decision: 'refused',
      ip,
      userAgent,
      details: { limit: binding.name, username },
    });
    const wait = binding.retryAfterSeconds;
    throw new AuthException(
      ErrorCode.RateLimited,
      `Too many failed sign-in attempts; try again in ${wait} second${wait === 1 ? '' : 's'}`,
      undefined,
      wait,
    );
  }

  /**
   * Call when the username or password was wrong: consumes a point from the pair and the address,
   * for unknown usernames too (the recipe counts known ones only, which would tell them apart).
   */
  async recordFailure(ip: string, username: string): Promise<void> {
    await Promise.all([
      this.failuresByPair.consume(pairKey(ip, username)).catch(ignoreRefusal),
      this.failuresByAddress.consume(addressKey(ip)).catch(ignoreRefusal),
    ]);
  }

  /** Call after a successful sign-in: forgets the pair's failures; the address keeps its count. */
  async recordSuccess(ip: string, username: string): Promise<void> {
    await this.failuresByPair.delete(pairKey(ip, username));
  }
}

/**
 * Reached once the failures fill the limit: the next attempt is refused before its password is
 * checked (the recipe lets one more through and refuses when its failure overflows the limit).
 */
function reachedLimit(name: LoginLimitName, limiter: RateLimiterAbstract, failures: RateLimiterRes | null): Reached | undefined {
  if (failures === null || failures.consumedPoints < limiter.points) return undefined;
  return { name, retryAfterSeconds: Math.max(1, Math.ceil(failures.msBeforeNext / 1000)) };
}

/** A failure past the limit (concurrent attempts) is still counted; this attempt already got its answer. */
function ignoreRefusal(rejection: unknown): void {
  if (!(rejection instanceof RateLimiterRes)) throw rejection;
}

// normalizeIp: an IPv6 client counts per /64 (one host usually holds the whole subnet), an IPv4-mapped one as IPv4.
function pairKey(ip: string, username: string): string {
  return hashKeyPart(JSON.stringify([normalizeIp(ip), username.normalize('NFKC').toLowerCase()]));
}

function addressKey(ip: string): string {
  return hashKeyPart(normalizeIp(ip));
}
