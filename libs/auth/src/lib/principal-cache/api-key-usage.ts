import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ApiKeyRepository } from '../api-key.repository';

/** `last_used_at` is coarse: written at most once per interval per key (docs/security.md "API keys"). */
export const LAST_USED_INTERVAL_MS = 60_000;
const FLUSH_CHECK_MS = 5_000;

/**
 * Records API key use off the request's path: a key's first use in an interval is written at once
 * (not awaited by the request), later uses wait until the interval has passed, and whatever is
 * left is written when the application closes. A failed write is logged, never thrown.
 */
@Injectable()
export class ApiKeyUsage implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ApiKeyUsage.name);
  /** When each key's last_used_at was last written (epoch ms). */
  private readonly writtenAt = new Map<string, number>();
  /** Uses not written yet: the latest per key. */
  private readonly pending = new Map<string, Date>();
  private readonly writes = new Set<Promise<void>>();
  private readonly timer = setInterval(() => this.flush(false), FLUSH_CHECK_MS).unref();

  constructor(private readonly keys: ApiKeyRepository) {}

  touch(id: string): void {
    const now = Date.now();
    const last = this.writtenAt.get(id);
    if (last === undefined || now - last >= LAST_USED_INTERVAL_MS) this.write(id, new Date(now));
    else this.pending.set(id, new Date(now));
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.flush(true);
    await Promise.all(this.writes);
  }

  /** Writes the pending uses whose interval has passed (all of them when closing) and forgets keys idle for an interval. */
  private flush(all: boolean): void {
    const now = Date.now();
    for (const [id, at] of this.pending) {
      if (all || now - (this.writtenAt.get(id) ?? 0) >= LAST_USED_INTERVAL_MS) this.write(id, at);
    }
    for (const [id, last] of this.writtenAt) if (now - last >= LAST_USED_INTERVAL_MS && !this.pending.has(id)) this.writtenAt.delete(id);
  }

  private write(id: string, at: Date): void {
    this.pending.delete(id);
    this.writtenAt.set(id, at.getTime());
    const write = this.keys
      .markUsed(id, at)
      .catch((error: unknown) => this.logger.warn({ err: error, apiKeyId: id }, 'Could not record the use of an API key'))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }
}
