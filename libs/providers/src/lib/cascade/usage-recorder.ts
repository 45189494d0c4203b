import { ErrorCode, type ProviderName } from '@aegis/contracts';
import { costMicroDollars, type ModelPricing, type TokenUsage } from '../cost';
import { PriceTable } from '../pricing';
import { ProviderException, ProviderFailureReason } from '../provider.exception';
import type { ProviderStreamRequest } from '../provider.types';
import type { ProviderSettings } from '../provider-settings';
import type { SecretScrubber } from '../secret-scrubber';
import { type BudgetAdmission, BudgetGuard } from '../usage/budget-guard';
import { DEFAULT_RESERVED_OUTPUT_TOKENS, estimatePromptTokens } from '../usage/reservation-estimate';
import { type UsageIncrement, utcDay, type UsageStore } from '../usage/usage-store';
import { type Candidate, type CascadeLogger, describeError, type PricedCandidate } from './cascade.types';

/**
 * The cascade's money: prices candidates and answers (the table, else PROVIDER_DEFAULT_PRICE),
 * reserves a request's estimate against the budgets, records the real usage per user,
 * conversation, provider, model and day, and settles or releases the reservation
 * (docs/providers.md "Budgets").
 */
export class UsageRecorder {
  readonly prices: PriceTable;
  private readonly budget: BudgetGuard;
  private readonly unpriced = new Set<string>();

  constructor(
    private readonly settings: Pick<ProviderSettings, 'prices' | 'defaultPrice' | 'budget'>,
    private readonly usage: UsageStore,
    private readonly clock: () => Date,
    private readonly logger: CascadeLogger,
    private readonly scrubber: SecretScrubber,
  ) {
    this.prices = new PriceTable(settings.prices);
    this.budget = new BudgetGuard(settings.budget, usage, clock);
  }

  /** Whether any budget is set (and so requests reserve their estimate). */
  get budgetEnabled(): boolean {
    return this.budget.enabled;
  }

  /**
   * While a budget is enforced nothing unpriced may run: the model the caller chose is refused
   * outright, other providers' unpriced defaults are left out of the fall-over. In warn mode an
   * unpriced choice only warns (its cost is recorded as 0).
   */
  pricedCandidates(
    candidates: Candidate[],
    requestedModel: string | undefined,
  ): { ok: true; candidates: PricedCandidate[]; warning?: string } | { ok: false; error: ProviderException } {
    const priced = candidates.map((candidate) => ({ ...candidate, pricing: this.priceOf(candidate.provider, candidate.model) }));
    const unpriced = priced.filter((candidate) => candidate.pricing === undefined);
    if (unpriced.length === 0 || !this.budget.enabled) return { ok: true, candidates: priced };
    const chosen =
      unpriced.find((candidate) => candidate.model === requestedModel) ?? (unpriced.length === priced.length ? unpriced[0] : undefined);
    const refusal = (candidate: Candidate) =>
      `The model ${candidate.model} (${candidate.provider}) has no price and LLM budgets are in force: choose a priced model, or have an admin price it with PROVIDER_PRICES or PROVIDER_DEFAULT_PRICE`;
    if (!this.budget.enforcing) return { ok: true, candidates: priced, warning: chosen ? refusal(chosen) : undefined };
    if (chosen)
      return {
        ok: false,
        error: new ProviderException(ErrorCode.BudgetModelUnpriced, refusal(chosen), ProviderFailureReason.BudgetExceeded, chosen.provider),
      };
    for (const candidate of unpriced) this.warnUnpriced(candidate, 'left out of the fall-over while a budget is enforced');
    return { ok: true, candidates: priced.filter((candidate) => candidate.pricing !== undefined) };
  }

  /** The reservation of a chat request: its prompt estimate and its output allowance, at the dearest candidate's price. */
  chatReservation(request: ProviderStreamRequest, candidates: PricedCandidate[]): UsageIncrement | undefined {
    const [first] = candidates;
    if (!this.budget.enabled || !first) return undefined;
    const usage = {
      inputTokens: estimatePromptTokens(request.messages, request.tools),
      outputTokens: Math.max(1, Math.round(request.maxOutputTokens ?? DEFAULT_RESERVED_OUTPUT_TOKENS)),
    };
    const estimate = Math.max(0, ...candidates.map((candidate) => (candidate.pricing ? costMicroDollars(usage, candidate.pricing) : 0)));
    return this.reservation(first, request.userId, request.conversationId, estimate);
  }

  /** A usage row that holds `costMicroDollars` against the budgets and counts no tokens or request. */
  reservation(
    candidate: Candidate,
    userId: string | undefined,
    conversationId: string | undefined,
    costMicroDollars: number,
  ): UsageIncrement {
    return {
      day: utcDay(this.clock()),
      userId: userId ?? null,
      conversationId: conversationId ?? null,
      provider: candidate.provider,
      model: candidate.model,
      inputTokens: 0,
      outputTokens: 0,
      costMicroDollars,
      requests: 0,
    };
  }

  /** Adds the reservation if the budgets allow it (see BudgetGuard.reserve). */
  reserve(reservation: UsageIncrement): Promise<BudgetAdmission> {
    return this.budget.reserve(reservation);
  }

  /** Takes a reservation back; if that fails it stays counted (the safe side) and is logged. */
  async release(reservation: UsageIncrement): Promise<void> {
    try {
      await this.usage.add({ ...reservation, costMicroDollars: -reservation.costMicroDollars, requests: 0 });
    } catch (error) {
      this.logger.error(
        `could not release a budget reservation of ${reservation.costMicroDollars} µ$: ${this.scrubber.scrub(describeError(error)).slice(0, 300)}`,
        undefined,
      );
    }
  }

  /**
   * Prices usage, adds it to the usage store and the budget totals, and settles the reservation
   * (in the same row when the reserved candidate answered). A store failure is logged, not thrown;
   * a reservation whose real cost could not be recorded stays in its place.
   */
  async record(
    candidate: Candidate,
    usage: TokenUsage,
    userId: string | undefined,
    conversationId: string | undefined,
    reservation?: UsageIncrement,
  ): Promise<number> {
    const counts = { inputTokens: Math.max(0, Math.round(usage.inputTokens)), outputTokens: Math.max(0, Math.round(usage.outputTokens)) };
    const pricing = this.priceOf(candidate.provider, candidate.model);
    if (!pricing) this.warnUnpriced(candidate, 'its cost is recorded as 0');
    const cost = pricing ? costMicroDollars(counts, pricing) : 0;
    const increment: UsageIncrement = {
      day: utcDay(this.clock()),
      userId: userId ?? null,
      conversationId: conversationId ?? null,
      provider: candidate.provider,
      model: candidate.model,
      ...counts,
      costMicroDollars: cost,
    };
    const sameRow =
      reservation !== undefined &&
      reservation.day === increment.day &&
      reservation.provider === increment.provider &&
      reservation.model === increment.model;
    try {
      await this.usage.add(sameRow ? { ...increment, costMicroDollars: cost - reservation.costMicroDollars } : increment);
      if (reservation && !sameRow) await this.release(reservation);
    } catch (error) {
      this.logger.error(
        `could not record usage of ${candidate.provider}/${candidate.model}: ${this.scrubber.scrub(describeError(error)).slice(0, 300)}`,
        undefined,
      );
    }
    this.budget.noteSpend(userId, cost);
    return cost;
  }

  /** The table's price of a model, else PROVIDER_DEFAULT_PRICE, else none. */
  private priceOf(provider: ProviderName, model: string): ModelPricing | undefined {
    return this.prices.lookup(provider, model) ?? this.settings.defaultPrice;
  }

  private warnUnpriced(candidate: Candidate, consequence: string): void {
    const key = `${candidate.provider}/${candidate.model}`;
    if (this.unpriced.has(key)) return;
    this.unpriced.add(key);
    this.logger.warn(`no price for ${key}: ${consequence} (add it to PROVIDER_PRICES, or set PROVIDER_DEFAULT_PRICE)`);
  }
}
