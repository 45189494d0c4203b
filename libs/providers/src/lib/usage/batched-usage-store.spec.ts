import { type BatchWritableUsageStore, BatchedUsageStore } from './batched-usage-store';
import { InMemoryUsageStore, type UsageIncrement } from './usage-store';

const increment = (costMicroDollars: number, userId = 'u1'): UsageIncrement => ({
  day: '2026-11-29',
  userId,
  conversationId: null,
  provider: 'openai',
  model: 'gpt-4.1-mini',
  inputTokens: 10,
  outputTokens: 5,
  costMicroDollars,
});

/** An in-memory target that can be told to fail its next batch writes. */
class FlakyTarget extends InMemoryUsageStore implements BatchWritableUsageStore {
  failures = 0;
  readonly batches: UsageIncrement[][] = [];

  async addMany(increments: UsageIncrement[]): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('connection terminated');
    }
    this.batches.push(increments.map((each) => ({ ...each })));
    for (const each of increments) await this.add(each);
  }
}

const logger = () => ({ log: jest.fn(), warn: jest.fn(), error: jest.fn() });
const options = { flushIntervalMs: 600_000, maxPendingRows: 3, maxAttempts: 2 };

describe('BatchedUsageStore', () => {
  it('merges increments of one row and writes them in one batch', async () => {
    const target = new FlakyTarget();
    const store = new BatchedUsageStore(target, logger(), options);
    await store.add(increment(100));
    await store.add({ ...increment(-30), requests: 0 });
    expect(target.rows.size).toBe(0);
    await store.flush();
    expect(target.batches).toEqual([[{ ...increment(70), requests: 1, inputTokens: 20, outputTokens: 10 }]]);
  });

  it('starts a write when maxPendingRows rows are queued', async () => {
    const target = new FlakyTarget();
    const store = new BatchedUsageStore(target, logger(), options);
    for (const user of ['a', 'b', 'c']) await store.add(increment(1, user));
    await store.flush();
    expect(target.batches.map((batch) => batch.length)).toEqual([3]);
  });

  it('retries a failed batch, then logs its records instead of dropping them silently', async () => {
    const target = new FlakyTarget();
    const log = logger();
    const store = new BatchedUsageStore(target, log, options);
    target.failures = 1;
    await store.add(increment(100));
    await store.flush();
    expect(log.warn).toHaveBeenCalledWith(
      expect.stringContaining('could not write 1 usage rows (attempt 1), retrying: Error: connection terminated'),
    );
    await store.flush();
    expect(target.batches).toHaveLength(1);

    target.failures = 2;
    await store.add(increment(7, 'u2'));
    await store.flush();
    await store.flush();
    expect(log.error).toHaveBeenCalledWith(
      expect.stringMatching(/usage rows not written \(Error: connection terminated\); they are: \[.*"userId":"u2".*"costMicroDollars":7/),
      undefined,
    );
  });

  it('writes queued spend before a budget admission, so the admission sees it', async () => {
    const target = new FlakyTarget();
    const store = new BatchedUsageStore(target, logger(), options);
    await store.add(increment(900));
    const verdict = await store.addIfWithin(
      { ...increment(50), requests: 0 },
      { fromDay: '2026-11-01', userId: 'u1', userMicroDollars: 800 },
    );
    expect(verdict).toEqual({ admitted: false, scope: 'user', spentMicroDollars: 900 });
  });

  it('lets an admission go ahead of queued releases (they only lower the spend)', async () => {
    const target = new FlakyTarget();
    await target.add({ ...increment(500), requests: 0 });
    const store = new BatchedUsageStore(target, logger(), options);
    await store.add({ ...increment(-500), requests: 0 });
    const verdict = await store.addIfWithin(
      { ...increment(50), requests: 0 },
      { fromDay: '2026-11-01', userId: 'u1', userMicroDollars: 400 },
    );
    expect(verdict).toMatchObject({ admitted: false, spentMicroDollars: 500 });
    expect(target.batches).toEqual([]);
  });
});
