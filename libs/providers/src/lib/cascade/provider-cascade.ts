import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, PROVIDER_NAMES, type ProviderName } from '@aegis/contracts';
import { Logger, type LoggerService } from '@nestjs/common';
import { decorrelatedJitterGenerator, ExponentialBackoff, type IBackoff, isBrokenCircuitError } from 'cockatiel';
import type { AdapterPart, AdapterStream, ProviderAdapter } from '../adapters/provider-adapter';
import { costMicroDollars, type ModelPricing, type TokenUsage } from '../cost';
import { PriceTable } from '../pricing';
import {
  classifyFailure,
  describeFailure,
  isRetryableReason,
  type ProviderFailure,
  ProviderException,
  ProviderFailureReason,
  ProviderTimeoutError,
} from '../provider.exception';
import type { EmbeddingResult, EmbedOptions, FinishReason, ProviderStatus, ProviderStreamEvent, ProviderStreamRequest } from '../provider.types';
import type { ProviderSettings } from '../provider-settings';
import { maskKey, SecretScrubber } from '../secret-scrubber';
import { BudgetGuard } from '../usage/budget-guard';
import { DEFAULT_RESERVED_OUTPUT_TOKENS, estimateEmbeddingTokens, estimatePromptTokens } from '../usage/reservation-estimate';
import { type UsageIncrement, utcDay, type UsageStore } from '../usage/usage-store';
import { AttemptFailedError, ProviderCircuits } from './provider-circuits';

/** Hooks for metrics; called synchronously, never with a key or a message. */
export interface ProviderObserver {
  attemptFailed?(provider: ProviderName, reason: ProviderFailureReason): void;
  answered?(event: { provider: ProviderName; model: string; usage: TokenUsage; costMicroDollars: number; firstPartMs: number; totalMs: number }): void;
  circuitChanged?(provider: ProviderName, state: ProviderStatus['circuit']): void;
}

export interface ProviderCascadeOptions {
  clock?: () => Date;
  logger?: Pick<LoggerService, 'log' | 'warn' | 'error'>;
  observer?: ProviderObserver;
}

interface Candidate {
  provider: ProviderName;
  model: string;
}

type CandidateFailures = { failure: ProviderFailure; attempts: number }[];

/** A stream whose first part has arrived: from here on the provider is chosen. */
interface OpenedStream {
  stream: AdapterStream;
  first: AdapterPart;
  controller: AbortController;
  release(): void;
}

type Retried<T> = { ok: true; value: T; attempts: number } | { ok: false; failure: ProviderFailure; attempts: number };

const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

const isoOrNull = (time: number | undefined): string | null => (time === undefined ? null : new Date(time).toISOString());

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
  private readonly prices: PriceTable;
  private readonly budget: BudgetGuard;
  private readonly scrubber: SecretScrubber;
  private readonly clock: () => Date;
  private readonly logger: Pick<LoggerService, 'log' | 'warn' | 'error'>;
  private readonly observers: ProviderObserver[] = [];
  private readonly lastFailures = new Map<ProviderName, { at: string; reason: string }>();
  private readonly reachability = new Map<ProviderName, { reachable: boolean; at: number }>();
  private readonly lastSuccess = new Map<ProviderName, number>();
  private readonly probes = new Map<ProviderName, Promise<void>>();
  private readonly unpriced = new Set<string>();

  constructor(
    private readonly settings: ProviderSettings,
    private readonly adapters: ReadonlyMap<ProviderName, ProviderAdapter>,
    private readonly usage: UsageStore,
    options: ProviderCascadeOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? new Logger(ProviderCascade.name);
    if (options.observer) this.observers.push(options.observer);
    this.scrubber = new SecretScrubber(Object.values(settings.apiKeys).map((key) => key.reveal()));
    this.prices = new PriceTable(settings.prices);
    this.budget = new BudgetGuard(settings.budget, usage, this.clock);
    this.circuits = new ProviderCircuits(settings.resilience.circuitThreshold, settings.resilience.circuitHalfOpenMs, (provider, state) => {
      const message = `circuit of ${provider} is ${state}`;
      if (state === 'open') this.logger.warn(message);
      else this.logger.log(message);
      for (const observer of this.observers) observer.circuitChanged?.(provider, state);
    });
  }

  /** Adds hooks (metrics) after construction, e.g. from a module that owns the metrics registry. */
  observe(observer: ProviderObserver): void {
    this.observers.push(observer);
  }

  /** Streams one answer; see the class comment and ProviderStreamEvent for the order of events. */
  async *stream(request: ProviderStreamRequest): AsyncGenerator<ProviderStreamEvent, void, undefined> {
    const startedAt = performance.now();
    const { candidates: listed, failures } = this.candidatesFor(request);
    const pricing = this.pricedCandidates(listed, request.model);
    if (!pricing.ok) {
      this.logger.warn(`refused a request of user ${request.userId}: ${pricing.error.message}`);
      yield { type: 'error', error: pricing.error };
      return;
    }
    if (pricing.warning) yield { type: 'warning', code: ErrorCode.BudgetModelUnpriced, message: pricing.warning };
    const candidates = pricing.candidates;
    const reservation = this.reservationFor(request, candidates);
    let held: UsageIncrement | undefined;
    if (reservation) {
      const admission = await this.budget.reserve(reservation);
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
      if (reserved) await this.release(reserved);
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
    const idleTimer = setTimeout(() => {
      idle = true;
      controller.abort(new ProviderTimeoutError('idle', idleMs));
    }, idleMs);
    const firstPartMs = performance.now() - startedAt;
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
        idleTimer.refresh();
        part = await stream.next();
      }
      throw new ProviderException(ErrorCode.ProviderUnavailable, 'the answer ended without finishing', ProviderFailureReason.Interrupted, candidate.provider);
    } catch (error) {
      const failure = this.failureOf(error, candidate.provider, idle, request.signal, new ProviderTimeoutError('idle', idleMs));
      if (failure.reason !== ProviderFailureReason.Aborted) {
        this.noteFailure(failure, 1);
        this.circuits.recordFailure(failure);
      }
      const message = failure.reason === ProviderFailureReason.Aborted ? 'The request was cancelled' : `${describeFailure(failure)}: the answer stopped partway`;
      yield { type: 'error', error: new ProviderException(ErrorCode.ProviderUnavailable, message, failure.reason, candidate.provider) };
    } finally {
      clearTimeout(idleTimer);
      opened.release();
      if (!finished) stream.cancel();
      await releaseHeld();
    }
  }

  /** The table's price of a model, else PROVIDER_DEFAULT_PRICE, else none. */
  private priceOf(provider: ProviderName, model: string): ModelPricing | undefined {
    return this.prices.lookup(provider, model) ?? this.settings.defaultPrice;
  }

  /**
   * While a budget is enforced nothing unpriced may run: the model the caller chose is refused
   * outright, other providers' unpriced defaults are left out of the fall-over. In warn mode an
   * unpriced choice only warns (its cost is recorded as 0).
   */
  private pricedCandidates(
    candidates: Candidate[],
    requestedModel: string | undefined,
  ): { ok: true; candidates: (Candidate & { pricing: ModelPricing | undefined })[]; warning?: string } | { ok: false; error: ProviderException } {
    const priced = candidates.map((candidate) => ({ ...candidate, pricing: this.priceOf(candidate.provider, candidate.model) }));
    const unpriced = priced.filter((candidate) => candidate.pricing === undefined);
    if (unpriced.length === 0 || !this.budget.enabled) return { ok: true, candidates: priced };
    const chosen = unpriced.find((candidate) => candidate.model === requestedModel) ?? (unpriced.length === priced.length ? unpriced[0] : undefined);
    const refusal = (candidate: Candidate) =>
      `The model ${candidate.model} (${candidate.provider}) has no price and LLM budgets are in force: choose a priced model, or have an admin price it with PROVIDER_PRICES or PROVIDER_DEFAULT_PRICE`;
    if (!this.budget.enforcing) return { ok: true, candidates: priced, warning: chosen ? refusal(chosen) : undefined };
    if (chosen) return { ok: false, error: new ProviderException(ErrorCode.BudgetModelUnpriced, refusal(chosen), ProviderFailureReason.BudgetExceeded, chosen.provider) };
    for (const candidate of unpriced) this.warnUnpriced(candidate, 'left out of the fall-over while a budget is enforced');
    return { ok: true, candidates: priced.filter((candidate) => candidate.pricing !== undefined) };
  }

  /** The reservation of a chat request: its prompt estimate and its output allowance, at the dearest candidate's price. */
  private reservationFor(request: ProviderStreamRequest, candidates: (Candidate & { pricing: ModelPricing | undefined })[]): UsageIncrement | undefined {
    const [first] = candidates;
    if (!this.budget.enabled || !first) return undefined;
    const usage = { inputTokens: estimatePromptTokens(request.messages, request.tools), outputTokens: Math.max(1, Math.round(request.maxOutputTokens ?? DEFAULT_RESERVED_OUTPUT_TOKENS)) };
    const estimate = Math.max(0, ...candidates.map((candidate) => (candidate.pricing ? costMicroDollars(usage, candidate.pricing) : 0)));
    return this.reservationRow(first, request.userId, request.conversationId, estimate);
  }

  private reservationRow(candidate: Candidate, userId: string | undefined, conversationId: string | undefined, costMicroDollars: number): UsageIncrement {
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

  /** Takes a reservation back; if that fails it stays counted (the safe side) and is logged. */
  private async release(reservation: UsageIncrement): Promise<void> {
    try {
      await this.usage.add({ ...reservation, costMicroDollars: -reservation.costMicroDollars, requests: 0 });
    } catch (error) {
      this.logger.error(`could not release a budget reservation of ${reservation.costMicroDollars} µ$: ${this.scrubber.scrub(describeError(error)).slice(0, 300)}`, undefined);
    }
  }

  private warnUnpriced(candidate: Candidate, consequence: string): void {
    const key = `${candidate.provider}/${candidate.model}`;
    if (this.unpriced.has(key)) return;
    this.unpriced.add(key);
    this.logger.warn(`no price for ${key}: ${consequence} (add it to PROVIDER_PRICES, or set PROVIDER_DEFAULT_PRICE)`);
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
        failures.push({ failure: { provider: candidate.provider, reason: ProviderFailureReason.CircuitOpen, detail: 'half-open' }, attempts: 0 });
        continue;
      }
      const opened = await this.withRetries(candidate.provider, request.signal, () => this.openAttempt(adapter, candidate, request));
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
      throw new ProviderException(ErrorCode.ProviderUnavailable, 'No embedding provider is configured', ProviderFailureReason.NotConfigured);
    }
    if (texts.length === 0) return { provider: choice.provider, model: choice.model, embeddings: [], usage: { inputTokens: 0 }, costMicroDollars: 0 };
    const pricing = this.pricedCandidates([choice], choice.model);
    if (!pricing.ok) throw pricing.error;
    if (pricing.warning) this.logger.warn(`embedding with an unpriced model (warn mode): ${pricing.warning}`);
    const price = pricing.candidates[0]?.pricing;
    const estimate = price ? costMicroDollars({ inputTokens: estimateEmbeddingTokens(texts), outputTokens: 0 }, price) : 0;
    let held: UsageIncrement | undefined;
    if (this.budget.enabled) {
      const reservation = this.reservationRow(choice, options.userId, options.conversationId, estimate);
      const admission = await this.budget.reserve(reservation);
      if (!admission.allowed) throw admission.error;
      if (admission.warning) this.logger.warn(`embedding past a budget (warn mode): ${admission.warning}`);
      if (admission.reserved && estimate !== 0) held = reservation;
    }

    const result = await this.withRetries(choice.provider, options.signal, () => this.embedAttempt(adapter, choice.model, texts, options.signal));
    if (!result.ok) {
      if (held) await this.release(held);
      throw this.exhausted([{ failure: result.failure, attempts: result.attempts }], options.signal?.aborted === true);
    }
    const usage = { inputTokens: result.value.inputTokens ?? 0, outputTokens: 0 };
    const cost = await this.record({ provider: choice.provider, model: choice.model }, usage, options.userId, options.conversationId, held);
    return { provider: choice.provider, model: choice.model, embeddings: result.value.embeddings, usage: { inputTokens: usage.inputTokens }, costMicroDollars: cost };
  }

  /** Every known provider, in PROVIDER_NAMES order; no key, only whether one is configured. */
  status(): ProviderStatus[] {
    return PROVIDER_NAMES.map((name) => {
      const position = this.settings.order.indexOf(name);
      const defaultModel = this.settings.chatModels[name];
      return {
        name,
        configured: this.adapters.has(name),
        position: position === -1 ? null : position,
        circuit: this.circuits.state(name),
        reachable: this.reachability.get(name)?.reachable ?? null,
        defaultModel,
        // Chat models only: an embedding model writes no output, so its output price is zero.
        models: [...new Set([defaultModel, ...this.prices.models(name).filter((model) => (this.prices.lookup(name, model)?.outputPerMillion ?? 1) > 0)])].sort(),
        embeddingModel: this.settings.embedding?.provider === name ? this.settings.embedding.model : null,
        lastFailure: this.lastFailures.get(name) ?? null,
        lastSuccessAt: isoOrNull(this.lastSuccess.get(name)),
        reachabilityCheckedAt: isoOrNull(this.reachability.get(name)?.at),
      };
    });
  }

  /**
   * What GET /api/providers shows: status after a (cached) reachability probe, and for admins the
   * masked key (`sk-…abcd`, null without one); for anyone else there is no key field at all.
   */
  async overview(withMaskedKeys: boolean): Promise<(ProviderStatus & { key?: string | null })[]> {
    await this.refreshReachability();
    const status = this.status();
    if (!withMaskedKeys) return status;
    const keys = this.maskedKeys();
    return status.map((entry) => ({ ...entry, key: keys[entry.name] ?? null }));
  }

  /** The configured keys as an admin may see them (`sk-…abcd`). */
  maskedKeys(): Partial<Record<ProviderName, string>> {
    const masked: Partial<Record<ProviderName, string>> = {};
    for (const [provider, key] of Object.entries(this.settings.apiKeys) as [ProviderName, { reveal(): string }][]) masked[provider] = maskKey(key.reveal());
    return masked;
  }

  /** Probes the configured providers whose reachability is older than the probe TTL (any HTTP answer counts; no key is sent). */
  async refreshReachability(): Promise<void> {
    const { probeTtlMs, probeTimeoutMs } = this.settings.resilience;
    const now = Date.now();
    await Promise.all(
      [...this.adapters].map(([provider, adapter]) => {
        const known = this.reachability.get(provider);
        if (known && now - known.at < probeTtlMs) return Promise.resolve();
        let probe = this.probes.get(provider);
        if (!probe) {
          probe = adapter
            .probe(probeTimeoutMs)
            .then((reachable) => void this.reachability.set(provider, { reachable, at: Date.now() }))
            .finally(() => this.probes.delete(provider));
          this.probes.set(provider, probe);
        }
        return probe;
      }),
    );
  }

  private candidatesFor(request: ProviderStreamRequest): { candidates: Candidate[]; failures: { failure: ProviderFailure; attempts: number }[] } {
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
      if (this.adapters.has(provider) && (this.settings.chatModels[provider] === model || this.prices.knows(provider, model))) return provider;
    }
    return undefined;
  }

  /**
   * Attempts until one succeeds, a failure is not retryable, the retries are used up, or the next
   * wait would pass the deadline. Waits grow exponentially with decorrelated jitter and honour a
   * vendor's Retry-After; cancelling `signal` ends the wait at once.
   */
  private async withRetries<T>(provider: ProviderName, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<Retried<T>> {
    const { retries, retryInitialDelayMs, retryMaxDelayMs, retryDeadlineMs } = this.settings.resilience;
    const deadline = Date.now() + retryDeadlineMs;
    let backoff: IBackoff<unknown> | undefined;
    for (let attempts = 1; ; attempts++) {
      try {
        const value = await this.circuits.run(provider, attempt);
        this.reachability.set(provider, { reachable: true, at: Date.now() });
        this.lastSuccess.set(provider, Date.now());
        return { ok: true, value, attempts };
      } catch (error) {
        const failure: ProviderFailure =
          error instanceof AttemptFailedError
            ? error.failure
            : isBrokenCircuitError(error)
              ? { provider, reason: ProviderFailureReason.CircuitOpen, detail: 'circuit open' }
              : classifyFailure(error, provider, this.scrubber);
        this.noteFailure(failure, attempts);
        // An open circuit refused the call before any request was sent: not an attempt.
        if (failure.reason === ProviderFailureReason.CircuitOpen) return { ok: false, failure, attempts: attempts - 1 };
        if (failure.reason === ProviderFailureReason.Aborted || signal?.aborted) return { ok: false, failure: { ...failure, reason: ProviderFailureReason.Aborted }, attempts };
        if (!isRetryableReason(failure.reason) || attempts > retries) return { ok: false, failure, attempts };
        backoff = backoff ? backoff.next(undefined) : new ExponentialBackoff({ initialDelay: retryInitialDelayMs, maxDelay: retryMaxDelayMs, generator: decorrelatedJitterGenerator }).next();
        const wait = Math.max(backoff.duration, failure.retryAfterMs ?? 0);
        if (Date.now() + wait > deadline) return { ok: false, failure, attempts };
        try {
          await sleep(wait, undefined, { signal });
        } catch {
          return { ok: false, failure: { ...failure, reason: ProviderFailureReason.Aborted }, attempts };
        }
      }
    }
  }

  /** One try: the request is sent and the stream read up to its first part, within the first-part timeout. */
  private async openAttempt(adapter: ProviderAdapter, candidate: Candidate, request: ProviderStreamRequest): Promise<OpenedStream> {
    const timeoutMs = this.settings.resilience.firstTokenTimeoutMs;
    const controller = new AbortController();
    const caller = request.signal;
    const forwardAbort = () => controller.abort(caller?.reason);
    caller?.addEventListener('abort', forwardAbort, { once: true });
    const release = () => caller?.removeEventListener('abort', forwardAbort);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new ProviderTimeoutError('first-part', timeoutMs));
    }, timeoutMs);
    let stream: AdapterStream | undefined;
    try {
      if (caller?.aborted) throw caller.reason;
      stream = await adapter.openChat(
        { model: candidate.model, messages: request.messages, tools: request.tools, maxOutputTokens: request.maxOutputTokens, temperature: request.temperature },
        controller.signal,
      );
      const first = await stream.next();
      if (!first) throw new ProviderException(ErrorCode.ProviderUnavailable, 'empty answer', ProviderFailureReason.Interrupted, candidate.provider);
      return { stream, first, controller, release };
    } catch (error) {
      stream?.cancel();
      release();
      controller.abort();
      throw new AttemptFailedError(this.failureOf(error, candidate.provider, timedOut, caller, new ProviderTimeoutError('first-part', timeoutMs)));
    } finally {
      clearTimeout(timer);
    }
  }

  private async embedAttempt(adapter: ProviderAdapter, model: string, texts: readonly string[], caller: AbortSignal | undefined) {
    const timeoutMs = this.settings.resilience.firstTokenTimeoutMs;
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(caller?.reason);
    caller?.addEventListener('abort', forwardAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new ProviderTimeoutError('first-part', timeoutMs));
    }, timeoutMs);
    try {
      if (caller?.aborted) throw caller.reason;
      return await adapter.embed(model, texts, controller.signal);
    } catch (error) {
      throw new AttemptFailedError(this.failureOf(error, adapter.name, timedOut, caller, new ProviderTimeoutError('first-part', timeoutMs)));
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', forwardAbort);
    }
  }

  /** Our own timers and the caller's cancellation explain a failure better than the error they caused. */
  private failureOf(error: unknown, provider: ProviderName, timedOut: boolean, caller: AbortSignal | undefined, timeout: ProviderTimeoutError): ProviderFailure {
    if (timedOut) return classifyFailure(timeout, provider, this.scrubber);
    if (caller?.aborted) return { provider, reason: ProviderFailureReason.Aborted, detail: 'cancelled by the caller' };
    return classifyFailure(error, provider, this.scrubber);
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
    const cost = await this.record(candidate, usage, request.userId, request.conversationId, reservation);
    const answered = { provider: candidate.provider, model: candidate.model, usage, costMicroDollars: cost, firstPartMs, totalMs: performance.now() - startedAt };
    for (const observer of this.observers) observer.answered?.(answered);
    return { type: 'finish', provider: candidate.provider, model: candidate.model, finishReason, usage, costMicroDollars: cost };
  }

  /**
   * Prices usage, adds it to the usage store and the budget totals, and settles the reservation
   * (in the same row when the reserved candidate answered). A store failure is logged, not thrown;
   * a reservation whose real cost could not be recorded stays in its place.
   */
  private async record(candidate: Candidate, usage: TokenUsage, userId: string | undefined, conversationId: string | undefined, reservation?: UsageIncrement): Promise<number> {
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
    const sameRow = reservation !== undefined && reservation.day === increment.day && reservation.provider === increment.provider && reservation.model === increment.model;
    try {
      await this.usage.add(sameRow ? { ...increment, costMicroDollars: cost - reservation.costMicroDollars } : increment);
      if (reservation && !sameRow) await this.release(reservation);
    } catch (error) {
      this.logger.error(`could not record usage of ${candidate.provider}/${candidate.model}: ${this.scrubber.scrub(describeError(error)).slice(0, 300)}`, undefined);
    }
    this.budget.noteSpend(userId, cost);
    return cost;
  }

  private noteFailure(failure: ProviderFailure, attempt: number): void {
    // A cancelled call is nobody's failure; an open circuit was logged when it opened.
    if (failure.reason === ProviderFailureReason.Aborted || failure.reason === ProviderFailureReason.CircuitOpen) return;
    this.lastFailures.set(failure.provider, { at: this.clock().toISOString(), reason: describeFailure(failure) });
    if (failure.reason === ProviderFailureReason.Connection) this.reachability.set(failure.provider, { reachable: false, at: Date.now() });
    for (const observer of this.observers) observer.attemptFailed?.(failure.provider, failure.reason);
    // `detail` is already scrubbed of keys; scrub again in case a caller built one by hand.
    this.logger.warn(`${failure.provider} attempt ${attempt} failed: ${describeFailure(failure)} (${this.scrubber.scrub(failure.detail)})`);
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
    return new ProviderException(ErrorCode.ProviderUnavailable, `No LLM provider could answer (${details.join('; ')})`, last.reason, last.provider, details);
  }
}
