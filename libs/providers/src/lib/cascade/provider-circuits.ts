import type { ProviderName } from '@aegis/contracts';
import { circuitBreaker, type CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, handleWhen } from 'cockatiel';
import { isRetryableReason, type ProviderFailure } from '../provider.exception';
import type { CircuitStateName } from '../provider.types';

/** An attempt's failure, carried through the breaker so it can count availability failures only. */
export class AttemptFailedError extends Error {
  constructor(readonly failure: ProviderFailure) {
    super(`${failure.provider}: ${failure.reason}`);
    this.name = 'AttemptFailedError';
  }
}

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * One cockatiel circuit breaker per provider. It opens after `threshold` consecutive availability
 * failures (timeouts, 429, 5xx, connection and stream failures; a refused key or request does not
 * count), stays open `halfOpenAfterMs`, then lets one trial request through.
 */
export class ProviderCircuits {
  private readonly breakers = new Map<ProviderName, CircuitBreakerPolicy>();

  constructor(
    private readonly threshold: number,
    private readonly halfOpenAfterMs: number,
    private readonly onChange: (provider: ProviderName, state: CircuitStateName) => void = () => undefined,
  ) {}

  private breaker(provider: ProviderName): CircuitBreakerPolicy {
    let breaker = this.breakers.get(provider);
    if (!breaker) {
      breaker = circuitBreaker(
        handleWhen((error) => error instanceof AttemptFailedError && isRetryableReason(error.failure.reason)),
        { halfOpenAfter: this.halfOpenAfterMs, breaker: new ConsecutiveBreaker(this.threshold) },
      );
      breaker.onStateChange((state) => this.onChange(provider, STATE_NAMES[state]));
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }

  state(provider: ProviderName): CircuitStateName {
    const breaker = this.breakers.get(provider);
    return breaker ? STATE_NAMES[breaker.state] : 'closed';
  }

  /** Runs an attempt through the provider's breaker; an open circuit throws cockatiel's BrokenCircuitError. */
  run<T>(provider: ProviderName, attempt: () => Promise<T>): Promise<T> {
    return this.breaker(provider).execute(attempt);
  }

  /** Counts a failure seen outside `run` (a stream that broke after its first part). */
  recordFailure(failure: ProviderFailure): void {
    const breaker = this.breaker(failure.provider);
    if (breaker.state !== CircuitState.Closed) return;
    breaker.execute(() => Promise.reject(new AttemptFailedError(failure))).catch(() => undefined);
  }
}
