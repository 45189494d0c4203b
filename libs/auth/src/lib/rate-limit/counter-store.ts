import { createHash } from 'node:crypto';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { LimiterSettings, LimiterStorage } from './limiter-storage';

/** One fixed window of a counter: how many hits it holds and when it ends. */
export interface CounterWindow {
  count: number;
  /** Milliseconds until the window ends and the count starts again from zero; 0 when there is no window. */
  resetInMs: number;
}

/**
 * Fixed-window counters on rate-limiter-flexible: a key's window starts at its first hit and lasts
 * `ttlSeconds` (whole seconds); later hits never extend it. With Redis the counters are shared by
 * every API instance. See docs/security.md, "Rate limits".
 */
export interface CounterStore {
  /** Counts one hit and returns the window after it. */
  hit(key: string, ttlSeconds: number): Promise<CounterWindow>;
  /** The current window without counting; `{count: 0, resetInMs: 0}` when there is none. */
  peek(key: string): Promise<CounterWindow>;
  reset(key: string): Promise<void>;
  /** A limiter on the same storage as the counters, its keys under `aegis:rl:<keyPrefix>:`. */
  limiter(settings: LimiterSettings): RateLimiterAbstract;
  /** Closes the storage: the Redis connection, or this process's timers. */
  close(): Promise<void>;
}

export const COUNTER_STORE = Symbol('COUNTER_STORE');

/** Every key of the rate limits starts with it (`aegis:rl:…` in Redis). */
export const COUNTER_KEY_PREFIX = 'aegis:rl';

/** The counting limiter never refuses: the callers of hit() compare the count with their own limit. */
const UNLIMITED = { points: Number.MAX_SAFE_INTEGER, duration: 60 };

const NO_WINDOW: CounterWindow = { count: 0, resetInMs: 0 };

/** Turns a key part that may come from a client (a username, an address) into fixed, safe text. */
export function hashKeyPart(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

/** Redis sets a window with EX, in whole seconds; memory rounds the same way so both behave alike. */
function windowSeconds(ttlSeconds: number): number {
  return Math.max(1, Math.ceil(ttlSeconds));
}

/** A key without expiry answers -1: there is no window to wait for. */
function toWindow(result: RateLimiterRes): CounterWindow {
  return { count: result.consumedPoints, resetInMs: Math.max(0, result.msBeforeNext) };
}

/** The counters over one never-refusing limiter of the storage; every hit brings its own window length. */
export class LimiterCounterStore implements CounterStore {
  private readonly counter: RateLimiterAbstract;

  constructor(private readonly storage: LimiterStorage) {
    this.counter = storage.create({ keyPrefix: COUNTER_KEY_PREFIX, ...UNLIMITED });
  }

  async hit(key: string, ttlSeconds: number): Promise<CounterWindow> {
    // customDuration applies to the hit that creates the key only, so a window is never extended.
    return toWindow(await this.counter.penalty(key, 1, { customDuration: windowSeconds(ttlSeconds) }));
  }

  async peek(key: string): Promise<CounterWindow> {
    const current = await this.counter.get(key);
    return current ? toWindow(current) : NO_WINDOW;
  }

  async reset(key: string): Promise<void> {
    await this.counter.delete(key);
  }

  limiter(settings: LimiterSettings): RateLimiterAbstract {
    return this.storage.create({ ...settings, keyPrefix: `${COUNTER_KEY_PREFIX}:${settings.keyPrefix}` });
  }

  close(): Promise<void> {
    return this.storage.close();
  }
}
