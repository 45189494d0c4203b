import type { ProviderName } from '@aegis/contracts';

/** One request's usage, added to the day's row for its user, conversation, provider and model. */
export interface UsageIncrement {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  userId: string | null;
  conversationId: string | null;
  provider: ProviderName;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costMicroDollars: number;
}

/** Where usage is kept: PostgreSQL (UsageRepository) in the server, memory in benchmarks and unit tests. */
export interface UsageStore {
  add(increment: UsageIncrement): Promise<void>;
  /** Micro-dollars spent from `fromDay` (inclusive) on, by one user or, without one, by everyone. */
  spentSince(fromDay: string, userId?: string): Promise<number>;
}

export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

/** Usage kept in memory: for benchmarks and tests without a database. */
export class InMemoryUsageStore implements UsageStore {
  readonly rows = new Map<string, UsageIncrement & { requests: number }>();

  add(increment: UsageIncrement): Promise<void> {
    const key = [increment.day, increment.userId, increment.conversationId, increment.provider, increment.model].join('|');
    const row = this.rows.get(key);
    if (row) {
      row.requests += 1;
      row.inputTokens += increment.inputTokens;
      row.outputTokens += increment.outputTokens;
      row.costMicroDollars += increment.costMicroDollars;
    } else {
      this.rows.set(key, { ...increment, requests: 1 });
    }
    return Promise.resolve();
  }

  spentSince(fromDay: string, userId?: string): Promise<number> {
    let total = 0;
    for (const row of this.rows.values()) {
      if (row.day >= fromDay && (userId === undefined || row.userId === userId)) total += row.costMicroDollars;
    }
    return Promise.resolve(total);
  }
}
