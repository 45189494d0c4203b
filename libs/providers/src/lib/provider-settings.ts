import type { AppConfig, Secret } from '@aegis/config';
import type { ProviderName } from '@aegis/contracts';
import type { ModelPricing } from './cost';
import { DEFAULT_BUDGET, DEFAULT_MODELS, DEFAULT_RESILIENCE } from './providers.defaults';

export type BudgetPeriod = 'day' | 'month';
/** `enforce` refuses a request past a budget with BUDGET_EXCEEDED; `warn` answers and logs a warning. */
export type BudgetMode = 'enforce' | 'warn';

/**
 * The provider variables AppConfig.providers will carry once libs/config validates them (the zod
 * lines are in docs/providers.md). Until then they are absent and the defaults apply.
 */
export interface ProviderTuningConfig {
  /** PROVIDER_MODELS: the chat model per provider. */
  models: Partial<Record<ProviderName, string>>;
  /** PROVIDER_EMBEDDING: the one provider (and model) that embeds. */
  embedding: { provider: ProviderName; model?: string } | undefined;
  /** PROVIDER_PRICES: `provider/model` → USD per million tokens, over the built-in table. */
  prices: Record<string, ModelPricing>;
  /** PROVIDER_DEFAULT_PRICE: the price of models the table does not know. */
  defaultPrice: ModelPricing | undefined;
  budget: { userUsd: number | undefined; globalUsd: number | undefined; period: BudgetPeriod; mode: BudgetMode };
  timeoutMs: number;
  retries: number;
  retryDeadlineMs: number;
  circuitThreshold: number;
  circuitHalfOpenMs: number;
}

export interface ResilienceSettings {
  retries: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  retryDeadlineMs: number;
  circuitThreshold: number;
  circuitHalfOpenMs: number;
  firstTokenTimeoutMs: number;
  idleTimeoutMs: number;
  probeTtlMs: number;
  probeTimeoutMs: number;
}

export interface BudgetSettings {
  /** Micro-dollars per period; undefined means no budget. */
  userMicroDollars: number | undefined;
  globalMicroDollars: number | undefined;
  period: BudgetPeriod;
  mode: BudgetMode;
  cacheMs: number;
}

/** Everything the provider layer needs, resolved once from AppConfig (see resolveProviderSettings). */
export interface ProviderSettings {
  order: ProviderName[];
  apiKeys: Partial<Record<ProviderName, Secret>>;
  baseUrls: Partial<Record<ProviderName, string>>;
  chatModels: Record<ProviderName, string>;
  embedding: { provider: ProviderName; model: string } | undefined;
  /** `provider/model` → price, laid over DEFAULT_PRICES. */
  prices: Record<string, ModelPricing>;
  /** The price of a model the table does not know; without one, such a model is refused while a budget is enforced. */
  defaultPrice: ModelPricing | undefined;
  budget: BudgetSettings;
  resilience: ResilienceSettings;
}

export type ProviderConfigSection = Pick<AppConfig['providers'], 'order' | 'apiKeys' | 'baseUrls'> & Partial<ProviderTuningConfig>;

const toMicroDollars = (usd: number | undefined): number | undefined => (usd === undefined ? undefined : Math.round(usd * 1_000_000));

/**
 * The first provider of the order that can embed, unless PROVIDER_EMBEDDING names one. Only one
 * embedding model is ever used: vectors of different models cannot be compared, so embeddings
 * never fall over to another provider.
 */
function embeddingChoice(providers: ProviderConfigSection): ProviderSettings['embedding'] {
  if (providers.embedding) {
    const model = providers.embedding.model ?? DEFAULT_MODELS[providers.embedding.provider].embedding;
    return model ? { provider: providers.embedding.provider, model } : undefined;
  }
  for (const provider of providers.order) {
    const model = DEFAULT_MODELS[provider].embedding;
    if (model) return { provider, model };
  }
  return undefined;
}

/** ProviderSettings from AppConfig.providers, with defaults for what config does not (yet) carry; `overrides` serve tests and benchmarks. */
export function resolveProviderSettings(providers: ProviderConfigSection, overrides: Partial<ProviderSettings> = {}): ProviderSettings {
  const chatModels = Object.fromEntries(
    (Object.keys(DEFAULT_MODELS) as ProviderName[]).map((provider) => [
      provider,
      providers.models?.[provider] ?? DEFAULT_MODELS[provider].chat,
    ]),
  ) as Record<ProviderName, string>;
  const budget = providers.budget;
  return {
    order: providers.order,
    apiKeys: providers.apiKeys,
    baseUrls: providers.baseUrls,
    chatModels,
    embedding: embeddingChoice(providers),
    prices: providers.prices ?? {},
    defaultPrice: providers.defaultPrice,
    budget: {
      userMicroDollars: toMicroDollars(budget?.userUsd ?? DEFAULT_BUDGET.userUsd),
      globalMicroDollars: toMicroDollars(budget?.globalUsd ?? DEFAULT_BUDGET.globalUsd),
      period: budget?.period ?? DEFAULT_BUDGET.period,
      mode: budget?.mode ?? DEFAULT_BUDGET.mode,
      cacheMs: DEFAULT_BUDGET.cacheMs,
    },
    resilience: {
      ...DEFAULT_RESILIENCE,
      retries: providers.retries ?? DEFAULT_RESILIENCE.retries,
      retryDeadlineMs: providers.retryDeadlineMs ?? DEFAULT_RESILIENCE.retryDeadlineMs,
      circuitThreshold: providers.circuitThreshold ?? DEFAULT_RESILIENCE.circuitThreshold,
      circuitHalfOpenMs: providers.circuitHalfOpenMs ?? DEFAULT_RESILIENCE.circuitHalfOpenMs,
      firstTokenTimeoutMs: providers.timeoutMs ?? DEFAULT_RESILIENCE.firstTokenTimeoutMs,
    },
    ...overrides,
  };
}

/** Ollama needs no key; every other provider is usable only with one. */
export function isConfigured(settings: Pick<ProviderSettings, 'apiKeys'>, provider: ProviderName): boolean {
  return provider === 'ollama' || settings.apiKeys[provider] !== undefined;
}
