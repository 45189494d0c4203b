import type { ProviderName } from '@aegis/contracts';
import type { LoggerService } from '@nestjs/common';
import type { ModelPricing, TokenUsage } from '../cost';
import type { ProviderFailureReason } from '../provider.exception';
import type { ProviderStatus } from '../provider.types';

/** Hooks for metrics; called synchronously, never with a key or a message. */
export interface ProviderObserver {
  attemptFailed?(provider: ProviderName, reason: ProviderFailureReason): void;
  answered?(event: {
    provider: ProviderName;
    model: string;
    usage: TokenUsage;
    costMicroDollars: number;
    firstPartMs: number;
    totalMs: number;
  }): void;
  circuitChanged?(provider: ProviderName, state: ProviderStatus['circuit']): void;
}

export type CascadeLogger = Pick<LoggerService, 'log' | 'warn' | 'error'>;

/** A provider and the model it is asked for. */
export interface Candidate {
  provider: ProviderName;
  model: string;
}

/** A candidate with its price (none when neither the table nor PROVIDER_DEFAULT_PRICE knows the model). */
export type PricedCandidate = Candidate & { pricing: ModelPricing | undefined };

export const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
