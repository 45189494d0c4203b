import type { ProviderName } from '@aegis/contracts';
import type { ModelPricing } from './cost';

/**
 * Defaults of the provider layer. Every value here is overridable from the environment once
 * libs/config carries the provider variables (PROVIDER_PRICES, PROVIDER_MODELS, PROVIDER_BUDGET_*,
 * PROVIDER_TIMEOUT_MS, …: see docs/providers.md); resolveProviderSettings reads them from
 * AppConfig.providers and falls back to these.
 */

/** The model a provider uses when a request names none, and the one it embeds with (if it can). */
export const DEFAULT_MODELS: Record<ProviderName, { chat: string; embedding?: string }> = {
  openai: { chat: 'gpt-4.1-mini', embedding: 'text-embedding-3-small' },
  anthropic: { chat: 'claude-sonnet-4-5' },
  gemini: { chat: 'gemini-2.5-flash', embedding: 'gemini-embedding-001' },
  mistral: { chat: 'mistral-small-latest', embedding: 'mistral-embed' },
  groq: { chat: 'llama-3.3-70b-versatile' },
  deepseek: { chat: 'deepseek-chat' },
  moonshot: { chat: 'kimi-k2-0905-preview' },
  ollama: { chat: 'llama3.2', embedding: 'nomic-embed-text' },
};

/** Each vendor's public API root: what `<PROVIDER>_BASE_URL` replaces. Ollama's is the server root (OLLAMA_HOST style). */
export const DEFAULT_BASE_URLS: Record<ProviderName, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
  mistral: 'https://api.mistral.ai/v1',
  groq: 'https://api.groq.com/openai/v1',
  deepseek: 'https://api.deepseek.com',
  moonshot: 'https://api.moonshot.ai/v1',
  ollama: 'http://127.0.0.1:11434',
};

/**
 * Prices in US dollars per million tokens, as the vendors listed them when this table was written.
 * Vendors change prices: check them, and override or extend them with PROVIDER_PRICES (through
 * config) rather than editing code. A model id matches the longest entry it starts with, so a dated
 * snapshot (`gpt-4.1-mini-2025-04-14`) is priced as its family. `*` prices every model of a provider.
 */
export const DEFAULT_PRICES: Record<ProviderName, Record<string, ModelPricing>> = {
  openai: {
    'gpt-5': { inputPerMillion: 1.25, outputPerMillion: 10 },
    'gpt-5-mini': { inputPerMillion: 0.25, outputPerMillion: 2 },
    'gpt-5-nano': { inputPerMillion: 0.05, outputPerMillion: 0.4 },
    'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
    'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
    'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
    'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
    'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
    'o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
    'text-embedding-3-small': { inputPerMillion: 0.02, outputPerMillion: 0 },
    'text-embedding-3-large': { inputPerMillion: 0.13, outputPerMillion: 0 },
  },
  anthropic: {
    'claude-opus-4': { inputPerMillion: 15, outputPerMillion: 75 },
    'claude-sonnet-4': { inputPerMillion: 3, outputPerMillion: 15 },
    'claude-sonnet-4-5': { inputPerMillion: 3, outputPerMillion: 15 },
    'claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5 },
    'claude-3-5-haiku': { inputPerMillion: 0.8, outputPerMillion: 4 },
  },
  gemini: {
    'gemini-2.5-pro': { inputPerMillion: 1.25, outputPerMillion: 10 },
    'gemini-2.5-flash': { inputPerMillion: 0.3, outputPerMillion: 2.5 },
    'gemini-2.5-flash-lite': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
    'gemini-2.0-flash': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
    'gemini-embedding-001': { inputPerMillion: 0.15, outputPerMillion: 0 },
  },
  mistral: {
    'mistral-large': { inputPerMillion: 2, outputPerMillion: 6 },
    'mistral-medium': { inputPerMillion: 0.4, outputPerMillion: 2 },
    'mistral-small': { inputPerMillion: 0.1, outputPerMillion: 0.3 },
    'mistral-embed': { inputPerMillion: 0.1, outputPerMillion: 0 },
  },
  groq: {
    'llama-3.3-70b-versatile': { inputPerMillion: 0.59, outputPerMillion: 0.79 },
    'llama-3.1-8b-instant': { inputPerMillion: 0.05, outputPerMillion: 0.08 },
  },
  deepseek: {
    'deepseek-chat': { inputPerMillion: 0.28, outputPerMillion: 0.42 },
    'deepseek-reasoner': { inputPerMillion: 0.28, outputPerMillion: 0.42 },
  },
  moonshot: {
    'kimi-k2': { inputPerMillion: 0.6, outputPerMillion: 2.5 },
  },
  // Local models cost nothing per token.
  ollama: { '*': { inputPerMillion: 0, outputPerMillion: 0 } },
};

/** Retry, circuit and timeout defaults (PROVIDER_RETRIES, PROVIDER_CIRCUIT_*, PROVIDER_TIMEOUT_MS once in config). */
export const DEFAULT_RESILIENCE = {
  /** Retries of one provider after its first attempt, for retryable failures only. */
  retries: 2,
  retryInitialDelayMs: 250,
  retryMaxDelayMs: 4_000,
  /** No retry of a provider starts after this long; the cascade falls over instead. */
  retryDeadlineMs: 10_000,
  /** Consecutive failures that open a provider's circuit. */
  circuitThreshold: 5,
  /** How long an open circuit waits before one trial request (half-open). */
  circuitHalfOpenMs: 30_000,
  /** An attempt that has produced nothing after this long is abandoned as a timeout. */
  firstTokenTimeoutMs: 30_000,
  /** A started stream that goes this long without a part is abandoned as interrupted. */
  idleTimeoutMs: 60_000,
  /** How long a reachability probe result is trusted. */
  probeTtlMs: 30_000,
  probeTimeoutMs: 2_000,
} as const;

/** Budgets are off until configured (PROVIDER_BUDGET_USER_USD / PROVIDER_BUDGET_GLOBAL_USD). */
export const DEFAULT_BUDGET = {
  userUsd: undefined as number | undefined,
  globalUsd: undefined as number | undefined,
  period: 'month' as const,
  mode: 'enforce' as const,
  /** How long a spend total read from the database is trusted before it is read again. */
  cacheMs: 5_000,
};
