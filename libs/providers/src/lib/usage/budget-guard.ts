import { ErrorCode } from '@aegis/contracts';
import { ProviderException, ProviderFailureReason } from '../provider.exception';
import type { BudgetSettings } from '../provider-settings';
import { type SpendLimits, type UsageIncrement, utcDay, type UsageStore } from './usage-store';

export type BudgetVerdict = { allowed: true; warning?: string } | { allowed: false; error: ProviderException };
/** `reserved`: the estimate was added to the usage store and must be settled or released. */
export type BudgetAdmission = { allowed: true; reserved: boolean; warning?: string } | { allowed: false; error: ProviderException };

interface CachedSpend {
  periodStart: string;
  microDollars: number;
  loadedAt: number;
}

const dollars = (micro: number): string => `$${(micro / 1_000_000).toFixed(2)}`;

/**
 * Per-user and global budgets over a day or a calendar month (UTC). In enforce mode a request is
 * admitted only while the spend of its budgets (what was recorded plus what requests in flight
 * reserved) is under the limit, and it reserves its own estimate in the same atomic step
 * (`reserve`); so concurrent requests overshoot a budget by at most one reservation (see
 * docs/providers.md). Warn mode only reads totals, trusted for `cacheMs`, and warns.
 */
export class BudgetGuard {
  private readonly cache = new Map<string, CachedSpend>();

  constructor(
    private readonly settings: BudgetSettings,
    private readonly store: UsageStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get enabled(): boolean {
    return this.settings.userMicroDollars !== undefined || this.settings.globalMicroDollars !== undefined;
  }

  /** Whether a spent budget refuses requests (and unpriced models are refused). */
  get enforcing(): boolean {
    return this.enabled && this.settings.mode === 'enforce';
  }

  /**
   * Enforce mode: adds `reservation` to the usage store if the user's and the global budget are
   * still under their limits, atomically against every other admission. Warn mode: a check.
   */
  async reserve(reservation: UsageIncrement): Promise<BudgetAdmission> {
    const userId = reservation.userId ?? undefined;
    if (!this.enforcing) {
      const verdict = await this.check(userId);
      return verdict.allowed ? { ...verdict, reserved: false } : verdict;
    }
    const { start, secondsLeft } = this.period();
    const limits: SpendLimits = {
      fromDay: start,
      userId,
      userMicroDollars: this.settings.userMicroDollars,
      globalMicroDollars: this.settings.globalMicroDollars,
    };
    const admission = await this.store.addIfWithin(reservation, limits);
    if (admission.admitted) return { allowed: true, reserved: true };
    const message = admission.scope === 'global' ? this.globalMessage() : this.userMessage(admission.spentMicroDollars);
    return {
      allowed: false,
      error: new ProviderException(
        ErrorCode.BudgetExceeded,
        message,
        ProviderFailureReason.BudgetExceeded,
        undefined,
        undefined,
        secondsLeft,
      ),
    };
  }

  private get word(): string {
    return this.settings.period === 'day' ? 'daily' : 'monthly';
  }

  private globalMessage(): string {
    return `The ${this.word} LLM budget of ${dollars(this.settings.globalMicroDollars ?? 0)} for everyone is spent`;
  }

  private userMessage(spent: number): string {
    return `Your ${this.word} LLM budget of ${dollars(this.settings.userMicroDollars ?? 0)} is spent (${dollars(spent)} used)`;
  }

  /** The first day of the current budget period and the seconds until the next one starts. */
  period(now = this.clock()): { start: string; secondsLeft: number } {
    const start =
      this.settings.period === 'day'
        ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
        : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const next =
      this.settings.period === 'day'
        ? new Date(start.getTime() + 86_400_000)
        : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    return { start: utcDay(start), secondsLeft: Math.ceil((next.getTime() - now.getTime()) / 1000) };
  }

  async check(userId: string | undefined): Promise<BudgetVerdict> {
    if (!this.enabled) return { allowed: true };
    const { start, secondsLeft } = this.period();
    const problems: { scope: 'user' | 'global'; message: string }[] = [];
    if (this.settings.globalMicroDollars !== undefined) {
      const spent = await this.spent('global', start, undefined);
      if (spent >= this.settings.globalMicroDollars) problems.push({ scope: 'global', message: this.globalMessage() });
    }
    if (this.settings.userMicroDollars !== undefined && userId !== undefined) {
      const spent = await this.spent(`user:${userId}`, start, userId);
      if (spent >= this.settings.userMicroDollars) problems.push({ scope: 'user', message: this.userMessage(spent) });
    }
    if (problems.length === 0) return { allowed: true };
    const message = problems.map((problem) => problem.message).join('; ');
    if (this.settings.mode === 'warn') return { allowed: true, warning: message };
    return {
      allowed: false,
      error: new ProviderException(
        ErrorCode.BudgetExceeded,
        message,
        ProviderFailureReason.BudgetExceeded,
        undefined,
        undefined,
        secondsLeft,
      ),
    };
  }

  /** Adds what a request just cost to the cached totals, so the next check sees it without a read. */
  noteSpend(userId: string | undefined, microDollars: number): void {
    if (!this.enabled || microDollars <= 0) return;
    const { start } = this.period();
    for (const key of ['global', ...(userId ? [`user:${userId}`] : [])]) {
      const cached = this.cache.get(key);
      if (cached && cached.periodStart === start) cached.microDollars += microDollars;
    }
  }

  private async spent(key: string, periodStart: string, userId: string | undefined): Promise<number> {
    const cached = this.cache.get(key);
    const now = this.clock().getTime();
    if (cached && cached.periodStart === periodStart && now - cached.loadedAt < this.settings.cacheMs) return cached.microDollars;
    const microDollars = await this.store.spentSince(periodStart, userId);
    this.cache.set(key, { periodStart, microDollars, loadedAt: now });
    return microDollars;
  }
}
