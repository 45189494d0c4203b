import { createHash } from 'node:crypto';
import type { AppConfig } from '@aegis/config';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

/** One fixed window of a counter: how many hits it holds and when it ends. */
export interface CounterWindow {
  count: number;
  /** Milliseconds until the window ends and the count starts again from zero; 0 when there is no window. */
  resetInMs: number;
}

/**
 * Fixed-window counters: a key's window starts at its first hit and lasts `ttlSeconds`; later
 * hits never extend it. With Redis the counters are shared by every API instance.
 */
export interface CounterStore {
  /** Counts one hit and returns the window after it. */
  hit(key: string, ttlSeconds: number): Promise<CounterWindow>;
  /** The current window without counting; `{count: 0, resetInMs: 0}` when there is none. */
  peek(key: string): Promise<CounterWindow>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export const COUNTER_STORE = Symbol('COUNTER_STORE');

const NO_WINDOW: CounterWindow = { count: 0, resetInMs: 0 };

/** Turns a key part that may come from a client (a username, an address) into fixed, safe text. */
export function hashKeyPart(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

/** Window lengths in whole milliseconds, at least 1, as PEXPIRE wants them. */
function ttlMilliseconds(ttlSeconds: number): number {
  return Math.max(1, Math.round(ttlSeconds * 1000));
}

interface MemoryEntry {
  count: number;
  expiresAt: number;
}

/** Counters in this process only: right for a single API instance (no REDIS_URL). */
export class MemoryCounterStore implements CounterStore {
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(sweepIntervalMs = 60_000) {
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    // The sweep only frees memory; it must never keep the process alive.
    this.sweeper.unref();
  }

  hit(key: string, ttlSeconds: number): Promise<CounterWindow> {
    const now = Date.now();
    let entry = this.live(key, now);
    if (entry) {
      entry.count += 1;
    } else {
      entry = { count: 1, expiresAt: now + ttlMilliseconds(ttlSeconds) };
      this.entries.set(key, entry);
    }
    return Promise.resolve({ count: entry.count, resetInMs: entry.expiresAt - now });
  }

  peek(key: string): Promise<CounterWindow> {
    const now = Date.now();
    const entry = this.live(key, now);
    return Promise.resolve(entry ? { count: entry.count, resetInMs: entry.expiresAt - now } : NO_WINDOW);
  }

  reset(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    clearInterval(this.sweeper);
    this.entries.clear();
    return Promise.resolve();
  }

  /** Keys held, expired ones included until they are swept or read. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops every expired entry (the timer calls it; reads drop the expired entries they meet). */
  sweep(now = Date.now()): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }

  private live(key: string, now: number): MemoryEntry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

export const REDIS_KEY_PREFIX = 'aegis:rl:';

// Atomic: the expiry is set only by the hit that creates the key, so a window is never extended.
// A key left without expiry (PTTL -1) gets one, rather than counting forever.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

const PEEK_SCRIPT = `
local count = redis.call('GET', KEYS[1])
if not count then return {0, 0} end
return {tonumber(count), redis.call('PTTL', KEYS[1])}`;

function toWindow(reply: unknown): CounterWindow {
  if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
    throw new Error(`unexpected reply from the rate-limit script: ${JSON.stringify(reply)}`);
  }
  return { count: reply[0], resetInMs: Math.max(0, reply[1]) };
}

/** Counters in Redis under `aegis:rl:`, shared by every API instance; owns (and closes) its connection. */
export class RedisCounterStore implements CounterStore {
  private readonly logger = new Logger(RedisCounterStore.name);

  constructor(private readonly redis: Redis) {
    // Without a listener ioredis prints connection errors itself; requests still fail on their own.
    redis.on('error', (error: unknown) => this.logger.warn({ err: error }, 'Redis connection error (rate limits)'));
  }

  async hit(key: string, ttlSeconds: number): Promise<CounterWindow> {
    return toWindow(await this.redis.eval(HIT_SCRIPT, 1, REDIS_KEY_PREFIX + key, ttlMilliseconds(ttlSeconds)));
  }

  async peek(key: string): Promise<CounterWindow> {
    return toWindow(await this.redis.eval(PEEK_SCRIPT, 1, REDIS_KEY_PREFIX + key));
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(REDIS_KEY_PREFIX + key);
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    // QUIT waits for pending replies, but only a connected client can send it without waiting to reconnect.
    if (this.redis.status !== 'ready') {
      this.redis.disconnect();
      return;
    }
    const ended = new Promise((resolve) => this.redis.once('end', resolve));
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
    await ended;
  }
}

/** Redis when REDIS_URL is set (counters shared by every API instance), process memory otherwise. */
export function createCounterStore(config: AppConfig): CounterStore {
  const url = config.redisUrl?.reveal();
  if (url === undefined) return new MemoryCounterStore();
  return new RedisCounterStore(
    new Redis(url, {
      connectionName: 'aegis-rate-limit',
      // A request waits through at most two reconnection attempts, then fails instead of hanging.
      maxRetriesPerRequest: 2,
    }),
  );
}
