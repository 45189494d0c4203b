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
  /** May be negative to take back a reservation; a row's total never goes below what was added to it. */
  costMicroDollars: number;
  /** Requests counted (default 1); a budget reservation counts none. */
  requests?: number;
}

/** The budgets a reservation must fit under, over the period that starts on `fromDay`. */
export interface SpendLimits {
  fromDay: string;
  userId?: string;
  userMicroDollars?: number;
  globalMicroDollars?: number;
}

/** A refused admission says which budget was spent and how much was spent (or reserved) against it. */
export type AdmissionResult = { admitted: true } | { admitted: false; scope: 'user' | 'global'; spentMicroDollars: number };

/** Where usage is kept: PostgreSQL (UsageRepository) in the server, memory in benchmarks and unit tests. */
export interface UsageStore {
  add(increment: UsageIncrement): Promise<void>;
  /** Micro-dollars spent from `fromDay` (inclusive) on, by one user or, without one, by everyone. */
  spentSince(fromDay: string, userId?: string): Promise<number>;
  /**
   * Adds `increment` (a reservation) only while every budget of `limits` is still under its
   * limit, as one step that concurrent callers (other API instances too) take one at a time.
   */
  addIfWithin(increment: UsageIncrement, limits: SpendLimits): Promise<AdmissionResult>;
}

export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

/** Admitted while what is spent (and reserved) is under each limit; the global budget is looked at first. */
export function admissionOf(limits: SpendLimits, globalSpent: number, userSpent: number): AdmissionResult {
  if (limits.globalMicroDollars !== undefined && globalSpent >= limits.globalMicroDollars)
    return { admitted: false, scope: 'global', spentMicroDollars: globalSpent };
  if (limits.userMicroDollars !== undefined && limits.userId !== undefined && userSpent >= limits.userMicroDollars) {
    return { admitted: false, scope: 'user', spentMicroDollars: userSpent };
  }
  return { admitted: true };
}

/** Usage kept in memory: for benchmarks and tests without a database. */
export class InMemoryUsageStore implements UsageStore {
  readonly rows = new Map<string, UsageIncrement & { requests: number }>();

  add(increment: UsageIncrement): Promise<void> {
    const key = [increment.day, increment.userId, increment.conversationId, increment.provider, increment.model].join('|');
    const row = this.rows.get(key);
    const requests = increment.requests ?? 1;
    if (row) {
      row.requests += requests;
      row.inputTokens += increment.inputTokens;
      row.outputTokens += increment.outputTokens;
      row.costMicroDollars += increment.costMicroDollars;
    } else {
      this.rows.set(key, { ...increment, requests });
    }
    return Promise.resolve();
  }

  addIfWithin(increment: UsageIncrement, limits: SpendLimits): Promise<AdmissionResult> {
    // Read and add without awaiting in between, so admissions in one process cannot interleave.
    const verdict = admissionOf(
      limits,
      this.sum(limits.fromDay),
      limits.userId === undefined ? 0 : this.sum(limits.fromDay, limits.userId),
    );
    if (verdict.admitted) void this.add(increment);
    return Promise.resolve(verdict);
  }

  spentSince(fromDay: string, userId?: string): Promise<number> {
    return Promise.resolve(this.sum(fromDay, userId));
  }

  private sum(fromDay: string, userId?: string): number {
    let total = 0;
    for (const row of this.rows.values()) {
      if (row.day >= fromDay && (userId === undefined || row.userId === userId)) total += row.costMicroDollars;
    }
    return total;
  }
}
