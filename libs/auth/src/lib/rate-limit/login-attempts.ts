import { type AppConfig, InjectAppConfig } from '@aegis/config';
import { ErrorCode } from '@aegis/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import { AuthException } from '../auth.exception';
import { SecurityEvents } from '../security-events';
import { COUNTER_STORE, type CounterStore, type CounterWindow, hashKeyPart } from './counter-store';

type LoginLimitName = 'login' | 'loginIp';

/**
 * Failed sign-ins per client address + username (RATE_LIMIT_LOGIN) and per client address
 * (RATE_LIMIT_LOGIN_IP). Only failures count; a success clears its own pair, not the address.
 */
@Injectable()
export class LoginAttemptLimiter {
  constructor(
    @Inject(COUNTER_STORE) private readonly counters: CounterStore,
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly securityEvents: SecurityEvents,
  ) {}

  /**
   * Call before checking the password. Throws RATE_LIMITED (with Retry-After) once either limit
   * is reached, and records the refusal as a security event.
   */
  async assertAllowed(ip: string, username: string, userAgent?: string): Promise<void> {
    const [pair, address] = await Promise.all([this.counters.peek(pairKey(ip, username)), this.counters.peek(addressKey(ip))]);
    const reached = [this.reached('login', pair), this.reached('loginIp', address)].filter((limit) => limit !== undefined);
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

  /** Call when the username or password was wrong: counts against the pair and the address. */
  async recordFailure(ip: string, username: string): Promise<void> {
    const { login, loginIp } = this.config.rateLimits;
    await Promise.all([
      this.counters.hit(pairKey(ip, username), login.ttlSeconds),
      this.counters.hit(addressKey(ip), loginIp.ttlSeconds),
    ]);
  }

  /** Call after a successful sign-in: forgets the pair's failures; the address keeps its count. */
  async recordSuccess(ip: string, username: string): Promise<void> {
    await this.counters.reset(pairKey(ip, username));
  }

  private reached(name: LoginLimitName, window: CounterWindow): { name: LoginLimitName; retryAfterSeconds: number } | undefined {
    if (window.count < this.config.rateLimits[name].limit) return undefined;
    return { name, retryAfterSeconds: Math.max(1, Math.ceil(window.resetInMs / 1000)) };
  }
}

// normalizeIp: an IPv6 client counts per /64 (one host usually holds the whole subnet), an IPv4-mapped one as IPv4.
function pairKey(ip: string, username: string): string {
  return `login:pair:${hashKeyPart(JSON.stringify([normalizeIp(ip), username.normalize('NFKC').toLowerCase()]))}`;
}

function addressKey(ip: string): string {
  return `login:ip:${hashKeyPart(normalizeIp(ip))}`;
}
