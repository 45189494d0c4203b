import { ErrorCode, PROVIDER_NAMES, type ProviderName } from '@aegis/contracts';
import { Logger } from '@nestjs/common';
import type { AdapterPart, ProviderAdapter } from '../adapters/provider-adapter';
import { costMicroDollars, type TokenUsage } from '../cost';
import {
  describeFailure,
  type ProviderFailure,
  ProviderException,
  ProviderFailureReason,
  ProviderTimeoutError,
} from '../provider.exception';
import type {
  EmbeddingResult,
  EmbedOptions,
  FinishReason,
  ProviderStatus,
  ProviderStreamEvent,
  ProviderStreamRequest,
} from '../provider.types';
import type { ProviderSettings } from '../provider-settings';
import { SecretScrubber } from '../secret-scrubber';
import { estimateEmbeddingTokens } from '../usage/reservation-estimate';
import type { UsageIncrement, UsageStore } from '../usage/usage-store';
import type { Candidate, CascadeLogger, ProviderObserver } from './cascade.types';
import { ProviderCircuits } from './provider-circuits';
import { type OpenedStream, ProviderAttempts } from './provider-attempts';
import { ProviderHealth } from './provider-health';
import { UsageRecorder } from './usage-recorder';

export type { ProviderObserver } from './cascade.types';

export interface ProviderCascadeOptions {
  clock?: () => Date;
  logger?: CascadeLogger;
  observer?: ProviderObserver;
}

type CandidateFailures = { failure: ProviderFailure; attempts: number }[];

/**
 * The LLM providers of PROVIDER_ORDER behind one call. Each provider is tried with retries
 * (backoff with jitter, within a deadline) for retryable failures, behind its own circuit breaker;
 * when it cannot answer, the next one is tried. Nothing is yielded until a provider has produced
 * its first part, so a fall-over is invisible; once text has been yielded no other provider is
 * tried, and a failure is reported once as an `error` event. Every answer's usage is priced and
 * recorded per user, conversation, provider, model and day. While a budget is enforced, a model
 * without a price is refused, and each request reserves its estimated cost against the budgets
 * before any provider is called, settled to the real cost after (docs/providers.md "Budgets").
 */
export class ProviderCascade {
  private readonly circuits: ProviderCircuits;
  private readonly health: ProviderHealth;
  private readonly attempts: ProviderAttempts;
  private readonly spend: UsageRecorder;
  private readonly logger: CascadeLogger;
  private readonly observers: ProviderObserver[] = [];

  constructor(
    private readonly settings: ProviderSettings,
    private readonly adapters: ReadonlyMap<ProviderName, ProviderAdapter>,
    usage: UsageStore,
    options: ProviderCascadeOptions = {},
  ) {
    const clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? new Logger(ProviderCascade.name);
    if (options.observer) this.observers.push(options.observer);
    const scrubber = new SecretScrubber(Object.values(settings.apiKeys).map((key) => key.reveal()));
    this.spend = new UsageRecorder(settings, usage, clock, this.logger, scrubber);
    this.circuits = new ProviderCircuits(settings.resilience.circuitThreshold, settings.resilience.circuitHalfOpenMs, (provider, state) => {
      const message = `circuit of ${provider} is ${state}`;
      if (state === 'open') this.logger.warn(message);
      else this.logger.log(message);
      for (const observer of this.observers) observer.circuitChanged?.(provider, state);
    });
    const { logger, observers, circuits } = this;
    this.health = new ProviderHealth({ settings, adapters, circuits, prices: this.spend.prices, scrubber, observers, clock, logger });
    this.attempts = new ProviderAttempts(settings.resilience, circuits, this.health, scrubber);
  }

  /** Adds hooks (metrics) after construction, e.g. from a module that owns the metrics registry. */
  observe(observer: ProviderObserver): void {
    this.observers.push(observer);
  }

  /** Streams one answer; see the class comment and ProviderStreamEvent for the order of events. */
  async *stream(request: ProviderStreamRequest): AsyncGenerator<ProviderStreamEvent, void, undefined> {
    const startedAt = performance.now();
    const { candidates: listed, failures } = this.candidatesFor(request);
    const pricing = this.spend.pricedCandidates(listed, request.model);
    if (!pricing.ok) {
      this.logger.warn(`refused a request of user ${request.userId}: ${pricing.error.message}`);
      yield { type: 'error', error: pricing.error };
      return;
    }
    if (pricing.warning) yield { type: 'warning', code: ErrorCode.BudgetModelUnpriced, message: pricing.warning };
    const candidates = pricing.candidates;
    const reservation = this.spend.chatReservation(request, candidates);
    let held: UsageIncrement | undefined;
    if (reservation) {
      const admission = await this.spend.reserve(reservation);
      if (!admission.allowed) {
        this.logger.warn(`refused a request of user ${request.userId}: ${admission.error.message}`);
        yield { type: 'error', error: admission.error };
        return;
      }
      if (admission.warning) {
        this.logger.warn(`user ${request.userId} is past a budget (warn mode): ${admission.warning}`);
        yield { type: 'warning', code: ErrorCode.BudgetExceeded, message: admission.warning };
      }
      // Settled by finish(); released if the request ends any other way (failure, cancel, an abandoned stream).
      if (admission.reserved && reservation.costMicroDollars !== 0) held = reservation;
    }
    const releaseHeld = async () => {
      const reserved = held;
      held = undefined;
      if (reserved) await this.spend.release(reserved);
    };
    const selection = await this.select(request, candidates, failures);
    if (!selection.ok) {
      await releaseHeld();
      yield { type: 'error', error: selection.error };
      return;
    }

    // One generator from here on (no nested `yield*`): every part crosses as few promises as possible.
    const { candidate, opened, attempts } = selection;
    const { stream, controller } = opened;
    const idleMs = this.settings.resilience.idleTimeoutMs;
    let idle = false;
    // Each part only notes its time (refreshing a timer per part costs a timer-list insert); the timer re-arms for the rest.
    let lastPartAt = performance.now();
    const watchIdle = () => {
      const quietMs = performance.now() - lastPartAt;
      if (quietMs < idleMs) {
        idleTimer = setTimeout(watchIdle, idleMs - quietMs);
        return;
      }
      idle = true;
      controller.abort(new ProviderTimeoutError('idle', idleMs));
    };
    let idleTimer = setTimeout(watchIdle, idleMs);
    const firstPartMs = lastPartAt - startedAt;
    let finished = false;
    try {
      yield { type: 'model-selected', provider: candidate.provider, model: candidate.model, attempts };
      let part: AdapterPart | undefined = opened.first;
      while (part) {
        if (part.type === 'finish') {
          finished = true;
          const settling = held;
          held = undefined;
          yield await this.finish(candidate, part.finishReason, part.usage, request, firstPartMs, startedAt, settling);
          return;
        }
        yield part;
        part = await stream.next();
        lastPartAt = performance.now();
      }
      throw new ProviderException(
        ErrorCode.ProviderUnavailable,
        'the answer ended without finishing',
        ProviderFailureReason.Interrupted,
        candidate.provider,
      );
    } catch (error) {
      const failure = this.attempts.failureOf(error, candidate.provider, idle, request.signal, new ProviderTimeoutError('idle', idleMs));
      if (failure.reason !== ProviderFailureReason.Aborted) {
        this.health.noteFailure(failure, 1);
        this.circuits.recordFailure(failure);
      }
      const message =
        failure.reason === ProviderFailureReason.Aborted
          ? 'The request was cancelled'
          : `${describeFailure(failure)}: the answer stopped partway`;
      yield { type: 'error', error: new ProviderException(ErrorCode.ProviderUnavailable, message, failure.reason, candidate.provider) };
    } finally {
      clearTimeout(idleTimer);
      opened.release();
      if (!finished) stream.cancel();
      await releaseHeld();
    }
  }

  /** Tries the candidates in turn, each with its retries, until one produces a first part. */
  private async select(
    request: ProviderStreamRequest,
    candidates: Candidate[],
    failures: CandidateFailures,
  ): Promise<{ ok: true; candidate: Candidate; opened: OpenedStream; attempts: number } | { ok: false; error: ProviderException }> {
    let attempts = 0;
    for (const [index, candidate] of candidates.entries()) {
      if (request.signal?.aborted) break;
      const adapter = this.adapters.get(candidate.provider);
      if (!adapter) continue;
      if (this.circuits.state(candidate.provider) === 'half-open') {
        // A trial request is in flight; waiting for it would stall this one.
        failures.push({
          failure: { provider: candidate.provider, reason: ProviderFailureReason.CircuitOpen, detail: 'half-open' },
          attempts: 0,
        });
        continue;
      }
      const opened = await this.attempts.withRetries(candidate.provider, request.signal, () =>
        this.attempts.openAttempt(adapter, candidate, request),
      );
      attempts += opened.attempts;
      if (opened.ok) return { ok: true, candidate, opened: opened.value, attempts };
      failures.push({ failure: opened.failure, attempts: opened.attempts });
      if (opened.failure.reason === ProviderFailureReason.Aborted) break;
      const next = candidates[index + 1];
      if (next) this.logger.warn(`${describeFailure(opened.failure, opened.attempts)}; falling over to ${next.provider}`);
    }
    return { ok: false, error: this.exhausted(failures, request.signal?.aborted === true) };
  }

  /**
   * Embeds texts with the one embedding provider (vectors of different models cannot be mixed,
   * so there is no fall-over): retries and its circuit apply; usage is recorded like answers.
   */
  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbeddingResult> {
    const choice = this.settings.embedding;
    const adapter = choice ? this.adapters.get(choice.provider) : undefined;
    if (!choice || !adapter) {
      throw new ProviderException(
        ErrorCode.ProviderUnavailable,
        'No embedding provider is configured',
        ProviderFailureReason.NotConfigured,
      );
    }
    if (texts.length === 0)
      return { provider: choice.provider, model: choice.model, embeddings: [], usage: { inputTokens: 0 }, costMicroDollars: 0 };
    const pricing = this.spend.pricedCandidates([choice], choice.model);
    if (!pricing.ok) throw pricing.error;
    if (pricing.warning) this.logger.warn(`embedding with an unpriced model (warn mode): ${pricing.warning}`);
    const price = pricing.candidates[0]?.pricing;
    const estimate = price ? costMicroDollars({ inputTokens: estimateEmbeddingTokens(texts), outputTokens: 0 }, price) : 0;
    let held: UsageIncrement | undefined;
    if (this.spend.budgetEnabled) {
      const reservation = this.spend.reservation(choice, options.userId, options.conversationId, estimate);
      const admission = await this.spend.reserve(reservation);
      if (!admission.allowed) throw admission.error;
      if (admission.warning) this.logger.warn(`embedding past a budget (warn mode): ${admission.warning}`);
      if (admission.reserved && estimate !== 0) held = reservation;
    }

    const result = await this.attempts.withRetries(choice.provider, options.signal, () =>
      this.attempts.embedAttempt(adapter, choice.model, texts, options.signal),
    );
    if (!result.ok) {
      if (held) await this.spend.release(held);
      throw this.exhausted([{ failure: result.failure, attempts: result.attempts }], options.signal?.aborted === true);
    }
    const usage = { inputTokens: result.value.inputTokens ?? 0, outputTokens: 0 };
    const cost = await this.spend.record(
      { provider: choice.provider, model: choice.model },
      usage,
      options.userId,
      options.conversationId,
      held,
    );
    return {
      provider: choice.provider,
      model: choice.model,
      embeddings: result.value.embeddings,
      usage: { inputTokens: usage.inputTokens },
      costMicroDollars: cost,
    };
  }

  /** Every known provider, in PROVIDER_NAMES order; no key, only whether one is configured. */
  status(): ProviderStatus[] {
    return this.health.status();
  }

  /** What GET /api/providers shows (see ProviderHealth.overview). */
  overview(withMaskedKeys: boolean): Promise<(ProviderStatus & { key?: string | null })[]> {
    return this.health.overview(withMaskedKeys);
  }

  /** The configured keys as an admin may see them (`sk-…abcd`). */
  maskedKeys(): Partial<Record<ProviderName, string>> {
    return this.health.maskedKeys();
  }

  /** Probes the configured providers whose reachability is older than the probe TTL. */
  refreshReachability(): Promise<void> {
    return this.health.refreshReachability();
  }

  private candidatesFor(request: ProviderStreamRequest): {
    candidates: Candidate[];
    failures: { failure: ProviderFailure; attempts: number }[];
  } {
    const failures: { failure: ProviderFailure; attempts: number }[] = [];
    const preferred = request.provider ?? (request.model ? this.providerServing(request.model) : undefined);
    const order = preferred ? [preferred, ...this.settings.order.filter((provider) => provider !== preferred)] : [...this.settings.order];
    const chosen = request.fallback === false ? order.slice(0, 1) : order;
    const candidates: Candidate[] = [];
    for (const [index, provider] of chosen.entries()) {
      if (!this.adapters.has(provider)) {
        failures.push({ failure: { provider, reason: ProviderFailureReason.NotConfigured, detail: 'no key' }, attempts: 0 });
        continue;
      }
      // The requested model goes to the provider chosen for it; the others answer with their own default.
      candidates.push({ provider, model: index === 0 && request.model ? request.model : this.settings.chatModels[provider] });
    }
    return { candidates, failures };
  }

  /** The configured provider whose default or priced models include `model`, preferring the order. */
  private providerServing(model: string): ProviderName | undefined {
    for (const provider of [...this.settings.order, ...PROVIDER_NAMES]) {
      if (this.adapters.has(provider) && (this.settings.chatModels[provider] === model || this.spend.prices.knows(provider, model)))
        return provider;
    }
    return undefined;
  }

  private async finish(
    candidate: Candidate,
    finishReason: FinishReason,
    usage: TokenUsage,
    request: ProviderStreamRequest,
    firstPartMs: number,
    startedAt: number,
    reservation: UsageIncrement | undefined,
  ): Promise<ProviderStreamEvent> {
    const cost = await this.spend.record(candidate, usage, request.userId, request.conversationId, reservation);
    const answered = {
      provider: candidate.provider,
      model: candidate.model,
      usage,
      costMicroDollars: cost,
      firstPartMs,
      totalMs: performance.now() - startedAt,
    };
    for (const observer of this.observers) observer.answered?.(answered);
    return { type: 'finish', provider: candidate.provider, model: candidate.model, finishReason, usage, costMicroDollars: cost };
  }

  private exhausted(failures: { failure: ProviderFailure; attempts: number }[], aborted: boolean): ProviderException {
    if (aborted) return new ProviderException(ErrorCode.ProviderUnavailable, 'The request was cancelled', ProviderFailureReason.Aborted);
    const tried = failures.filter(({ failure }) => failure.reason !== ProviderFailureReason.NotConfigured);
    if (tried.length === 0) {
      return new ProviderException(
        ErrorCode.ProviderUnavailable,
        'No LLM provider is configured: set PROVIDER_ORDER and the keys of its providers',
        ProviderFailureReason.NotConfigured,
        undefined,
        failures.map(({ failure }) => describeFailure(failure)),
      );
    }
    const details = failures.map(({ failure, attempts }) => describeFailure(failure, attempts));
    const last = tried[tried.length - 1].failure;
    return new ProviderException(
      ErrorCode.ProviderUnavailable,
      `No LLM provider could answer (${details.join('; ')})`,
      last.reason,
      last.provider,
      details,
    );
  }
}
