import type { CascadeLogger } from '../cascade/cascade.types';
import type { AdmissionResult, SpendLimits, UsageIncrement, UsageStore } from './usage-store';

/** A store that can write many increments at once (UsageRepository: one multi-row upsert in one transaction). */
export interface BatchWritableUsageStore extends UsageStore {
  addMany(increments: UsageIncrement[]): Promise<void>;
}

export interface UsageBatchOptions {
  /** A queued increment is written at most this long after it was queued (while the database answers). */
  flushIntervalMs: number;
  /** Distinct rows queued that start a write at once. */
  maxPendingRows: number;
  /** Writes of one batch tried before its records are logged and dropped. */
  maxAttempts: number;
}

export const USAGE_BATCH_DEFAULTS: UsageBatchOptions = { flushIntervalMs: 50, maxPendingRows: 200, maxAttempts: 5 };

type PendingIncrement = UsageIncrement & { requests: number };

const rowKey = (increment: UsageIncrement): string =>
  `${increment.day}|${increment.userId ?? ''}|${increment.conversationId ?? ''}|${increment.provider}|${increment.model}`;

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 300);

/**
 * Takes usage records and settlements off the answer's path: `add` queues the increment (merged
 * per usage row) and a batch is written every `flushIntervalMs`, at `maxPendingRows` rows, before
 * any read of the spend, and on shutdown. A budget admission stays synchronous (`addIfWithin` goes
 * straight to the database under its advisory locks); queued increments that add spend are written
 * before it, so an admission in this process never misses a cost. Queued releases and settlements
 * below the reservation only lower the spend late, which errs on the side of spending less.
 * A failed batch is retried; after `maxAttempts` its records are logged (never silently dropped).
 */
export class BatchedUsageStore implements UsageStore {
  private pending = new Map<string, PendingIncrement>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failedAttempts = 0;
  private closed = false;

  constructor(
    private readonly target: BatchWritableUsageStore,
    private readonly logger: CascadeLogger,
    private readonly options: UsageBatchOptions = USAGE_BATCH_DEFAULTS,
  ) {}

  add(increment: UsageIncrement): Promise<void> {
    if (this.closed) return this.target.add(increment);
    this.queue({ ...increment, requests: increment.requests ?? 1 });
    if (this.pending.size >= this.options.maxPendingRows) void this.flush();
    else this.schedule(this.options.flushIntervalMs);
    return Promise.resolve();
  }

  async addIfWithin(increment: UsageIncrement, limits: SpendLimits): Promise<AdmissionResult> {
    if (this.pendingAddsSpend()) await this.flush();
    return this.target.addIfWithin(increment, limits);
  }

  async spentSince(fromDay: string, userId?: string): Promise<number> {
    await this.flush();
    return this.target.spentSince(fromDay, userId);
  }

  /** Writes what is queued (after any write in progress); resolves when done, also when the write failed (it is then queued again). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.writeBatch());
    return this.writing;
  }

  /** Writes everything queued; later increments are written one by one. What cannot be written is logged. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    if (this.pending.size > 0) await this.flush();
    if (this.pending.size > 0) this.dropLogged([...this.pending.values()], 'the server is stopping');
    this.pending = new Map();
  }

  /** Nest calls this before the database connection closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private queue(increment: PendingIncrement): void {
    const key = rowKey(increment);
    const row = this.pending.get(key);
    if (!row) {
      this.pending.set(key, increment);
      return;
    }
    row.requests += increment.requests;
    row.inputTokens += increment.inputTokens;
    row.outputTokens += increment.outputTokens;
    row.costMicroDollars += increment.costMicroDollars;
  }

  private pendingAddsSpend(): boolean {
    for (const row of this.pending.values()) if (row.costMicroDollars > 0) return true;
    return false;
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => void this.flush(), delayMs);
    this.timer.unref();
  }

  private async writeBatch(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.target.addMany(batch);
      this.failedAttempts = 0;
    } catch (error) {
      this.failedAttempts += 1;
      if (this.failedAttempts >= this.options.maxAttempts) {
        this.failedAttempts = 0;
        this.dropLogged(batch, describe(error));
        return;
      }
      this.logger.warn(`could not write ${batch.length} usage rows (attempt ${this.failedAttempts}), retrying: ${describe(error)}`);
      for (const row of batch) this.queue(row);
      this.schedule(this.options.flushIntervalMs * 2 ** this.failedAttempts);
    }
  }

  private dropLogged(batch: PendingIncrement[], why: string): void {
    this.logger.error(`usage rows not written (${why}); they are: ${JSON.stringify(batch)}`, undefined);
  }
}
