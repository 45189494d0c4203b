import { randomUUID } from 'node:crypto';
import type { AppConfig } from '@aegis/config';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { quitRedis } from '../rate-limit/limiter-storage';

/** What changed: an API key (by id), a user (by id: also ends the cached state of their sessions) or a sign-in (refresh family id). */
export interface Invalidation {
  kind: 'api_key' | 'user' | 'family';
  id: string;
}

/** Carries invalidations to every API instance; while it cannot promise delivery, caches must not be trusted. */
export interface InvalidationBus {
  /** Whether every invalidation published anywhere reaches this instance now. */
  readonly reliable: boolean;
  /** `onInvalidation` gets every invalidation from other instances; `onGap` when some may have been missed. */
  listen(onInvalidation: (invalidation: Invalidation) => void, onGap: () => void): void;
  publish(invalidation: Invalidation): Promise<void>;
  close(): Promise<void>;
}

/** One instance (no REDIS_URL): the local invalidation is all there is. */
export class LocalInvalidationBus implements InvalidationBus {
  readonly reliable = true;

  listen(): void {
    return;
  }

  publish(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export const INVALIDATION_CHANNEL = 'aegis:auth-cache:invalidate';
/** How long a publisher waits to hear its own message back (then every subscriber has been sent it). */
const ECHO_WAIT_MS = 1_000;

/** An invalidation on the wire: `nonce` lets the publisher recognise its own message. */
type InvalidationMessage = Invalidation & { nonce: string };

function messageOf(text: string): InvalidationMessage | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<InvalidationMessage>;
    const kinds: unknown[] = ['api_key', 'user', 'family'];
    if (!kinds.includes(parsed.kind) || typeof parsed.id !== 'string' || typeof parsed.nonce !== 'string') return undefined;
    return { kind: parsed.kind as Invalidation['kind'], id: parsed.id, nonce: parsed.nonce };
  } catch {
    return undefined;
  }
}

/**
 * Invalidations on a Redis channel: one connection publishes, one subscribes. The bus is reliable
 * only while the subscription stands; from a lost connection until it is subscribed again the
 * cache is bypassed, and it is emptied again once subscribed (messages may have been missed).
 */
export class RedisInvalidationBus implements InvalidationBus {
  private readonly logger = new Logger(RedisInvalidationBus.name);
  private subscribed = false;
  private onInvalidation: (invalidation: Invalidation) => void = () => undefined;
  private onGap: () => void = () => undefined;
  private readonly echoes = new Map<string, () => void>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {
    publisher.on('error', (error: unknown) => this.logger.warn({ err: error }, 'Redis connection error (auth cache)'));
    subscriber.on('error', (error: unknown) => this.logger.warn({ err: error }, 'Redis connection error (auth cache subscription)'));
    subscriber.on('message', (channel: string, text: string) => {
      const message = channel === INVALIDATION_CHANNEL ? messageOf(text) : undefined;
      if (!message) return;
      this.onInvalidation({ kind: message.kind, id: message.id });
      this.echoes.get(message.nonce)?.();
    });
    subscriber.on('close', () => this.lose());
    subscriber.on('ready', () => void this.subscribe());
  }

  get reliable(): boolean {
    return this.subscribed && this.subscriber.status === 'ready';
  }

  listen(onInvalidation: (invalidation: Invalidation) => void, onGap: () => void): void {
    this.onInvalidation = onInvalidation;
    this.onGap = onGap;
  }

  /** Resolves once this instance's own subscription received the message (Redis has sent it to every subscriber), or after ECHO_WAIT_MS. */
  async publish(invalidation: Invalidation): Promise<void> {
    const nonce = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const echoed = new Promise<void>((resolve) => {
      this.echoes.set(nonce, resolve);
      timer = setTimeout(resolve, ECHO_WAIT_MS);
    });
    try {
      await this.publisher.publish(INVALIDATION_CHANNEL, JSON.stringify({ ...invalidation, nonce }));
      if (this.reliable) await echoed;
    } catch (error) {
      // The change is stored; instances that missed it drop the entry when its TTL ends (docs/security.md "Authentication").
      this.logger.error({ err: error, invalidation }, 'Could not publish an auth cache invalidation');
    } finally {
      clearTimeout(timer);
      this.echoes.delete(nonce);
    }
  }

  async close(): Promise<void> {
    this.subscribed = false;
    await Promise.all([quitRedis(this.subscriber), quitRedis(this.publisher)]);
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(INVALIDATION_CHANNEL);
      this.onGap();
      this.subscribed = true;
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not subscribe to auth cache invalidations');
    }
  }

  private lose(): void {
    this.subscribed = false;
    this.onGap();
  }
}

/** Redis when REDIS_URL is set (every instance hears every invalidation), this process alone otherwise. */
export function createInvalidationBus(config: AppConfig): InvalidationBus {
  const url = config.redisUrl?.reveal();
  if (url === undefined) return new LocalInvalidationBus();
  const options = { maxRetriesPerRequest: 2 };
  return new RedisInvalidationBus(
    new Redis(url, { ...options, connectionName: 'aegis-auth-cache' }),
    new Redis(url, { ...options, connectionName: 'aegis-auth-cache-subscription' }),
  );
}
