import { AegisError, type ErrorCode, type ProviderName } from '@aegis/contracts';
import type { SecretScrubber } from './secret-scrubber';

/** Why one attempt on one provider failed. */
export enum ProviderFailureReason {
  Timeout = 'timeout',
  RateLimited = 'rate-limited',
  ServerError = 'server-error',
  Connection = 'connection',
  Interrupted = 'interrupted',
  Authentication = 'authentication',
  Rejected = 'rejected',
  InvalidResponse = 'invalid-response',
  CircuitOpen = 'circuit-open',
  NotConfigured = 'not-configured',
  Unsupported = 'unsupported',
  Aborted = 'aborted',
  BudgetExceeded = 'budget-exceeded',
}

const RETRYABLE = new Set<ProviderFailureReason>([
  ProviderFailureReason.Timeout,
  ProviderFailureReason.RateLimited,
  ProviderFailureReason.ServerError,
  ProviderFailureReason.Connection,
  ProviderFailureReason.Interrupted,
]);

/** Timeouts, 429, 5xx, refused or dropped connections: worth another attempt, and what opens a circuit. */
export const isRetryableReason = (reason: ProviderFailureReason): boolean => RETRYABLE.has(reason);

/** One failed attempt, described without anything a vendor sent verbatim except a scrubbed excerpt. */
export interface ProviderFailure {
  provider: ProviderName;
  reason: ProviderFailureReason;
  /** The HTTP status, when the vendor answered with one. */
  status?: number;
  /** A Retry-After the vendor asked for. */
  retryAfterMs?: number;
  /** For logs only: error name and message, keys scrubbed, cut to 300 characters. */
  detail: string;
}

/** The errors of the provider layer; messages are safe for clients (no key, no vendor text). */
export class ProviderException extends AegisError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly reason: ProviderFailureReason,
    readonly provider?: ProviderName,
    details?: string[],
    retryAfterSeconds?: number,
  ) {
    super(code, message, details, retryAfterSeconds);
  }

  get retryable(): boolean {
    return isRetryableReason(this.reason);
  }
}

/** Thrown by the cascade's own first-part / idle timers. */
export class ProviderTimeoutError extends Error {
  constructor(
    readonly phase: 'first-part' | 'idle',
    readonly ms: number,
  ) {
    super(phase === 'first-part' ? `no response within ${ms} ms` : `stream idle for ${ms} ms`);
    this.name = 'ProviderTimeoutError';
  }
}

interface ApiCallErrorShape {
  name: string;
  message: string;
  statusCode?: number;
  responseHeaders?: Record<string, string>;
  cause?: unknown;
}

/** An error's name, across realms (a DOMException from undici is not always `instanceof Error` here). */
function nameOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('name' in error)) return undefined;
  return typeof error.name === 'string' ? error.name : undefined;
}

/** The AI SDK's APICallError, recognised by name and shape (the SDK marks it with a symbol of its own). */
function asApiCallError(error: unknown): ApiCallErrorShape | undefined {
  return nameOf(error) === 'AI_APICallError' ? (error as ApiCallErrorShape) : undefined;
}

function retryAfterMs(headers: Record<string, string> | undefined): number | undefined {
  if (!headers) return undefined;
  const millis = Number(headers['retry-after-ms']);
  if (Number.isFinite(millis) && millis >= 0) return millis;
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The first `code` along an error's causes (undici puts ECONNREFUSED, UND_ERR_SOCKET… there). */
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
}

const messageOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' ? error.message : undefined;

function reasonForStatus(status: number): ProviderFailureReason {
  if (status >= 200 && status < 300) return ProviderFailureReason.Interrupted;
  if (status === 429) return ProviderFailureReason.RateLimited;
  if (status === 408) return ProviderFailureReason.Timeout;
  if (status >= 500) return ProviderFailureReason.ServerError;
  if (status === 401 || status === 403) return ProviderFailureReason.Authentication;
  return ProviderFailureReason.Rejected;
}

function describe(error: unknown): string {
  const message = messageOf(error);
  if (message !== undefined) return `${nameOf(error) ?? 'Error'}: ${message}`;
  if (typeof error === 'object' && error !== null) {
    try {
      return JSON.stringify(error);
    } catch {
      return 'unserialisable error object';
    }
  }
  return String(error);
}

/** What went wrong in one attempt, from whatever the SDK, undici, cockatiel or our timers threw. */
export function classifyFailure(error: unknown, provider: ProviderName, scrubber: SecretScrubber): ProviderFailure {
  const detail = scrubber.scrub(describe(error)).slice(0, 300);
  if (error instanceof ProviderException) return { provider, reason: error.reason, detail };
  if (error instanceof ProviderTimeoutError) {
    return { provider, reason: error.phase === 'first-part' ? ProviderFailureReason.Timeout : ProviderFailureReason.Interrupted, detail };
  }
  const name = nameOf(error);
  if (name === 'AbortError' || name === 'TaskCancelledError') return { provider, reason: ProviderFailureReason.Aborted, detail };
  const apiError = asApiCallError(error);
  if (apiError) {
    if (apiError.statusCode === undefined) return { provider, reason: ProviderFailureReason.Connection, detail };
    return {
      provider,
      reason: reasonForStatus(apiError.statusCode),
      status: apiError.statusCode,
      retryAfterMs: retryAfterMs(apiError.responseHeaders),
      detail,
    };
  }
  if (name === 'AI_TypeValidationError' || name === 'AI_JSONParseError' || name === 'AI_InvalidResponseDataError') {
    return { provider, reason: ProviderFailureReason.InvalidResponse, detail };
  }
  if (name === 'AI_UnsupportedFunctionalityError' || name === 'AI_InvalidPromptError')
    return { provider, reason: ProviderFailureReason.Unsupported, detail };
  const code = causeCode(error);
  if (
    (name === 'TypeError' && messageOf(error) === 'terminated') ||
    code === 'UND_ERR_SOCKET' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE'
  ) {
    return { provider, reason: ProviderFailureReason.Interrupted, detail };
  }
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'EHOSTUNREACH' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    (name === 'TypeError' && messageOf(error) === 'fetch failed')
  ) {
    return { provider, reason: ProviderFailureReason.Connection, detail };
  }
  // An error event inside a vendor's stream (Anthropic's overloaded_error, OpenAI's server_error chunk).
  return { provider, reason: ProviderFailureReason.ServerError, detail };
}

const REASON_TEXT: Record<ProviderFailureReason, string> = {
  [ProviderFailureReason.Timeout]: 'timed out',
  [ProviderFailureReason.RateLimited]: 'rate limited',
  [ProviderFailureReason.ServerError]: 'server error',
  [ProviderFailureReason.Connection]: 'unreachable',
  [ProviderFailureReason.Interrupted]: 'stream interrupted',
  [ProviderFailureReason.Authentication]: 'key refused',
  [ProviderFailureReason.Rejected]: 'request refused',
  [ProviderFailureReason.InvalidResponse]: 'invalid response',
  [ProviderFailureReason.CircuitOpen]: 'circuit open',
  [ProviderFailureReason.NotConfigured]: 'not configured',
  [ProviderFailureReason.Unsupported]: 'cannot handle this request',
  [ProviderFailureReason.Aborted]: 'cancelled',
  [ProviderFailureReason.BudgetExceeded]: 'budget exceeded',
};

/** `openai: server error (HTTP 500)`: our words only, safe for a client to read. */
export function describeFailure(failure: Pick<ProviderFailure, 'provider' | 'reason' | 'status'>, attempts = 1): string {
  const status = failure.status !== undefined ? `, HTTP ${failure.status}` : '';
  const tries = attempts > 1 ? `, ${attempts} attempts` : '';
  return `${failure.provider}: ${REASON_TEXT[failure.reason]}${status}${tries}`;
}
