import { ErrorCode } from '@aegis/contracts';
import {
  classifyFailure,
  describeFailure,
  isRetryableReason,
  ProviderException,
  ProviderFailureReason,
  ProviderTimeoutError,
} from './provider.exception';
import { SecretScrubber } from './secret-scrubber';

const scrubber = new SecretScrubber(['sk-secret-key-for-classify-test']);
const apiError = (statusCode: number | undefined, headers: Record<string, string> = {}, message = 'failed') =>
  Object.assign(new Error(message), { name: 'AI_APICallError', statusCode, responseHeaders: headers });
const reasonOf = (error: unknown) => classifyFailure(error, 'openai', scrubber).reason;

describe('classifyFailure', () => {
  it('maps HTTP statuses to reasons: 429 and 5xx are retryable, 401/403/400 are not', () => {
    expect(reasonOf(apiError(429))).toBe(ProviderFailureReason.RateLimited);
    expect(reasonOf(apiError(500))).toBe(ProviderFailureReason.ServerError);
    expect(reasonOf(apiError(529))).toBe(ProviderFailureReason.ServerError);
    expect(reasonOf(apiError(408))).toBe(ProviderFailureReason.Timeout);
    expect(reasonOf(apiError(401))).toBe(ProviderFailureReason.Authentication);
    expect(reasonOf(apiError(403))).toBe(ProviderFailureReason.Authentication);
    expect(reasonOf(apiError(400))).toBe(ProviderFailureReason.Rejected);
    expect([429, 500, 503].every((status) => isRetryableReason(reasonOf(apiError(status))))).toBe(true);
    expect([400, 401, 404].some((status) => isRetryableReason(reasonOf(apiError(status))))).toBe(false);
  });

  it('treats refused connections and dropped streams as retryable', () => {
    expect(reasonOf(apiError(undefined, {}, 'Cannot connect to API: connect ECONNREFUSED'))).toBe(ProviderFailureReason.Connection);
    expect(reasonOf(apiError(200, {}, 'Failed to process successful response'))).toBe(ProviderFailureReason.Interrupted);
    expect(reasonOf(new TypeError('terminated'))).toBe(ProviderFailureReason.Interrupted);
    expect(reasonOf(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(ProviderFailureReason.Interrupted);
    expect(reasonOf(new ProviderTimeoutError('first-part', 100))).toBe(ProviderFailureReason.Timeout);
  });

  it('reads Retry-After in seconds, in milliseconds and as a date', () => {
    expect(classifyFailure(apiError(429, { 'retry-after': '2' }), 'openai', scrubber).retryAfterMs).toBe(2000);
    expect(classifyFailure(apiError(429, { 'retry-after-ms': '150' }), 'openai', scrubber).retryAfterMs).toBe(150);
    const later = new Date(Date.now() + 60_000).toUTCString();
    expect(classifyFailure(apiError(429, { 'retry-after': later }), 'openai', scrubber).retryAfterMs).toBeGreaterThan(50_000);
  });

  it('recognises a cancellation and invalid vendor data', () => {
    expect(reasonOf(new DOMException('aborted', 'AbortError'))).toBe(ProviderFailureReason.Aborted);
    expect(reasonOf(Object.assign(new Error('bad'), { name: 'AI_TypeValidationError' }))).toBe(ProviderFailureReason.InvalidResponse);
  });

  it('keeps a scrubbed, bounded excerpt of the error for logs', () => {
    const failure = classifyFailure(apiError(401, {}, `bad key sk-secret-key-for-classify-test ${'x'.repeat(500)}`), 'openai', scrubber);
    expect(failure.detail).not.toContain('sk-secret-key-for-classify-test');
    expect(failure.detail.length).toBeLessThanOrEqual(300);
  });
});

describe('describeFailure and ProviderException', () => {
  it('describes a failure in our own words', () => {
    expect(describeFailure({ provider: 'groq', reason: ProviderFailureReason.ServerError, status: 502 }, 3)).toBe(
      'groq: server error, HTTP 502, 3 attempts',
    );
    expect(describeFailure({ provider: 'ollama', reason: ProviderFailureReason.Connection })).toBe('ollama: unreachable');
  });

  it('is an AegisError with a stable code', () => {
    const error = new ProviderException(ErrorCode.BudgetExceeded, 'spent', ProviderFailureReason.BudgetExceeded, undefined, undefined, 60);
    expect(error).toMatchObject({ code: 'BUDGET_EXCEEDED', retryAfterSeconds: 60, name: 'ProviderException', retryable: false });
  });
});

describe('classifyFailure across realms', () => {
  it('reads undici errors by name, message and cause code, not by instanceof', () => {
    const foreign = {
      name: 'TypeError',
      message: 'fetch failed',
      cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' },
    };
    expect(classifyFailure(foreign, 'ollama', new SecretScrubber([])).reason).toBe(ProviderFailureReason.Connection);
    expect(classifyFailure({ name: 'TypeError', message: 'terminated' }, 'ollama', new SecretScrubber([])).reason).toBe(
      ProviderFailureReason.Interrupted,
    );
  });
});
