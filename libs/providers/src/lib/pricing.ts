import type { ProviderName } from '@aegis/contracts';
import type { ModelPricing } from './cost';
import { DEFAULT_PRICES } from './providers.defaults';

/**
 * Per-model prices: the built-in table with configured `provider/model` entries laid over it.
 * A model matches its exact entry, else the longest entry it starts with (dated snapshots,
 * `-latest` aliases), else the provider's `*` entry.
 */
export class PriceTable {
  private readonly byProvider = new Map<ProviderName, [string, ModelPricing][]>();

  constructor(overrides: Record<string, ModelPricing> = {}) {
    const merged = new Map<ProviderName, Map<string, ModelPricing>>();
    for (const [provider, models] of Object.entries(DEFAULT_PRICES) as [ProviderName, Record<string, ModelPricing>][]) {
      merged.set(provider, new Map(Object.entries(models)));
    }
    for (const [key, pricing] of Object.entries(overrides)) {
      const slash = key.indexOf('/');
      if (slash <= 0) continue;
      const provider = key.slice(0, slash) as ProviderName;
      const models = merged.get(provider);
      if (models) models.set(key.slice(slash + 1), pricing);
    }
    for (const [provider, models] of merged) {
      // Longest names first, so the first prefix that matches is the most specific.
      this.byProvider.set(
        provider,
        [...models].sort(([a], [b]) => b.length - a.length),
      );
    }
  }

  private match(provider: ProviderName, model: string): { name: string; pricing: ModelPricing } | undefined {
    let wildcard: { name: string; pricing: ModelPricing } | undefined;
    for (const [name, pricing] of this.byProvider.get(provider) ?? []) {
      if (name === '*') wildcard = { name, pricing };
      else if (model === name || model.startsWith(`${name}-`) || model.startsWith(`${name}:`) || model.startsWith(`${name}@`))
        return { name, pricing };
    }
    return wildcard;
  }

  /** The price of a model, or undefined when the table does not know it. */
  lookup(provider: ProviderName, model: string): ModelPricing | undefined {
    return this.match(provider, model)?.pricing;
  }

  /** Whether the table names this model itself (not only through the provider's `*`). */
  knows(provider: ProviderName, model: string): boolean {
    const found = this.match(provider, model);
    return found !== undefined && found.name !== '*';
  }

  /** The models the table prices for a provider (for listings). */
  models(provider: ProviderName): string[] {
    return (this.byProvider.get(provider) ?? [])
      .map(([name]) => name)
      .filter((name) => name !== '*')
      .sort();
  }
}
