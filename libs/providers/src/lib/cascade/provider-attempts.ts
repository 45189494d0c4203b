import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, type ProviderName } from '@aegis/contracts';
import { decorrelatedJitterGenerator, ExponentialBackoff, type IBackoff, isBrokenCircuitError } from 'cockatiel';
import type { AdapterPart, AdapterStream, ProviderAdapter } from '../adapters/provider-adapter';
import {
  classifyFailure,
  isRetryableReason,
  type ProviderFailure,
  ProviderException,
  ProviderFailureReason,
  ProviderTimeoutError,
} from '../provider.exception';
import type { ProviderStreamRequest } from '../provider.types';
import type { ResilienceSettings } from '../provider-settings';
import type { SecretScrubber } from '../secret-scrubber';
import type { Candidate } from './cascade.types';
import { AttemptFailedError, type ProviderCircuits } from './provider-circuits';
import type { ProviderHealth } from './provider-health';

/** A stream whose first part has arrived: from here on the provider is chosen. */
export interface OpenedStream {
  stream: AdapterStream;
  first: AdapterPart;
  controller: AbortController;
  release(): void;
}

type Retried<T> = { ok: true; value: T; attempts: number } | { ok: false; failure: ProviderFailure; attempts: number };

/**
 * The tries at one provider: each attempt runs through the provider's circuit within the
 * first-part timeout, and retryable failures are tried again with backoff within the retry
 * deadline. Successes and failures are noted in the providers' health.
 */
export class ProviderAttempts {
  constructor(
    private readonly resilience: ResilienceSettings,
    private readonly circuits: ProviderCircuits,
    private readonly health: ProviderHealth,
    private readonly scrubber: SecretScrubber,
  ) {}

  /**
   * Attempts until one succeeds, a failure is not retryable, the retries are used up, or the next
   * wait would pass the deadline. Waits grow exponentially with decorrelated jitter and honour a
   * vendor's Retry-After; cancelling `signal` ends the wait at once.
   */
  async withRetries<T>(provider: ProviderName, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<Retried<T>> {
    const { retries, retryInitialDelayMs, retryMaxDelayMs, retryDeadlineMs } = this.resilience;
    const deadline = Date.now() + retryDeadlineMs;
    let backoff: IBackoff<unknown> | undefined;
    for (let attempts = 1; ; attempts++) {
      try {
        const value = await this.circuits.run(provider, attempt);
        this.health.noteSuccess(provider);
        return { ok: true, value, attempts };
      } catch (error) {
        const failure: ProviderFailure =
          error instanceof AttemptFailedError
            ? error.failure
            : isBrokenCircuitError(error)
              ? { provider, reason: ProviderFailureReason.CircuitOpen, detail: 'circuit open' }
              : classifyFailure(error, provider, this.scrubber);
        this.health.noteFailure(failure, attempts);
        // An open circuit refused the call before any request was sent: not an attempt.
        if (failure.reason === ProviderFailureReason.CircuitOpen) return { ok: false, failure, attempts: attempts - 1 };
        if (failure.reason === ProviderFailureReason.Aborted || signal?.aborted)
          return { ok: false, failure: { ...failure, reason: ProviderFailureReason.Aborted }, attempts };
        if (!isRetryableReason(failure.reason) || attempts > retries) return { ok: false, failure, attempts };
        backoff = backoff
          ? backoff.next(undefined)
          : new ExponentialBackoff({
              initialDelay: retryInitialDelayMs,
              maxDelay: retryMaxDelayMs,
              generator: decorrelatedJitterGenerator,
            }).next();
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
  async openAttempt(adapter: ProviderAdapter, candidate: Candidate, request: ProviderStreamRequest): Promise<OpenedStream> {
    const timeoutMs = this.resilience.firstTokenTimeoutMs;
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
        {
          model: candidate.model,
          messages: request.messages,
          tools: request.tools,
          maxOutputTokens: request.maxOutputTokens,
          temperature: request.temperature,
        },
        controller.signal,
      );
      const first = await stream.next();
      if (!first)
        throw new ProviderException(ErrorCode.ProviderUnavailable, 'empty answer', ProviderFailureReason.Interrupted, candidate.provider);
      return { stream, first, controller, release };
    } catch (error) {
      stream?.cancel();
      release();
      controller.abort();
      throw new AttemptFailedError(
        this.failureOf(error, candidate.provider, timedOut, caller, new ProviderTimeoutError('first-part', timeoutMs)),
      );
    } finally {
      clearTimeout(timer);
    }
  }

  async embedAttempt(adapter: ProviderAdapter, model: string, texts: readonly string[], caller: AbortSignal | undefined) {
    const timeoutMs = this.resilience.firstTokenTimeoutMs;
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
      throw new AttemptFailedError(
        this.failureOf(error, adapter.name, timedOut, caller, new ProviderTimeoutError('first-part', timeoutMs)),
      );
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', forwardAbort);
    }
  }

  /** Our own timers and the caller's cancellation explain a failure better than the error they caused. */
  failureOf(
    error: unknown,
    provider: ProviderName,
    timedOut: boolean,
    caller: AbortSignal | undefined,
    timeout: ProviderTimeoutError,
  ): ProviderFailure {
    if (timedOut) return classifyFailure(timeout, provider, this.scrubber);
    if (caller?.aborted) return { provider, reason: ProviderFailureReason.Aborted, detail: 'cancelled by the caller' };
    return classifyFailure(error, provider, this.scrubber);
  }
}
