import { PROVIDER_NAMES, type ProviderName } from '@aegis/contracts';
import type { ProviderAdapter } from '../adapters/provider-adapter';
import type { PriceTable } from '../pricing';
import { describeFailure, type ProviderFailure, ProviderFailureReason } from '../provider.exception';
import type { ProviderStatus } from '../provider.types';
import type { ProviderSettings } from '../provider-settings';
import { maskKey, type SecretScrubber } from '../secret-scrubber';
import type { CascadeLogger, ProviderObserver } from './cascade.types';
import type { ProviderCircuits } from './provider-circuits';

interface ProviderHealthContext {
  settings: ProviderSettings;
  adapters: ReadonlyMap<ProviderName, ProviderAdapter>;
  circuits: ProviderCircuits;
  prices: PriceTable;
  scrubber: SecretScrubber;
  observers: readonly ProviderObserver[];
  clock: () => Date;
  logger: CascadeLogger;
}

const isoOrNull = (time: number | undefined): string | null => (time === undefined ? null : new Date(time).toISOString());

/**
 * What the cascade knows of each provider: its last failure and success, whether it answered
 * (probed on demand, cached for the probe TTL), and the status and overview built from them and
 * the circuits (GET /api/providers, health, metrics).
 */
export class ProviderHealth {
  private readonly lastFailures = new Map<ProviderName, { at: string; reason: string }>();
  private readonly reachability = new Map<ProviderName, { reachable: boolean; at: number }>();
  private readonly lastSuccess = new Map<ProviderName, number>();
  private readonly probes = new Map<ProviderName, Promise<void>>();

  constructor(private readonly context: ProviderHealthContext) {}

  /** An attempt succeeded: the provider is reachable. */
  noteSuccess(provider: ProviderName): void {
    this.reachability.set(provider, { reachable: true, at: Date.now() });
    this.lastSuccess.set(provider, Date.now());
  }

  noteFailure(failure: ProviderFailure, attempt: number): void {
    // A cancelled call is nobody's failure; an open circuit was logged when it opened.
    if (failure.reason === ProviderFailureReason.Aborted || failure.reason === ProviderFailureReason.CircuitOpen) return;
    this.lastFailures.set(failure.provider, { at: this.context.clock().toISOString(), reason: describeFailure(failure) });
    if (failure.reason === ProviderFailureReason.Connection) this.reachability.set(failure.provider, { reachable: false, at: Date.now() });
    for (const observer of this.context.observers) observer.attemptFailed?.(failure.provider, failure.reason);
    // `detail` is already scrubbed of keys; scrub again in case a caller built one by hand.
    this.context.logger.warn(
      `${failure.provider} attempt ${attempt} failed: ${describeFailure(failure)} (${this.context.scrubber.scrub(failure.detail)})`,
    );
  }

  /** Every known provider, in PROVIDER_NAMES order; no key, only whether one is configured. */
  status(): ProviderStatus[] {
    const { settings, adapters, circuits, prices } = this.context;
    return PROVIDER_NAMES.map((name) => {
      const position = settings.order.indexOf(name);
      const defaultModel = settings.chatModels[name];
      return {
        name,
        configured: adapters.has(name),
        position: position === -1 ? null : position,
        circuit: circuits.state(name),
        reachable: this.reachability.get(name)?.reachable ?? null,
        defaultModel,
        // Chat models only: an embedding model writes no output, so its output price is zero.
        models: [
          ...new Set([defaultModel, ...prices.models(name).filter((model) => (prices.lookup(name, model)?.outputPerMillion ?? 1) > 0)]),
        ].sort(),
        embeddingModel: settings.embedding?.provider === name ? settings.embedding.model : null,
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
    for (const [provider, key] of Object.entries(this.context.settings.apiKeys) as [ProviderName, { reveal(): string }][])
      masked[provider] = maskKey(key.reveal());
    return masked;
  }

  /** Probes the configured providers whose reachability is older than the probe TTL (any HTTP answer counts; no key is sent). */
  async refreshReachability(): Promise<void> {
    const { probeTtlMs, probeTimeoutMs } = this.context.settings.resilience;
    const now = Date.now();
    await Promise.all(
      [...this.context.adapters].map(([provider, adapter]) => {
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
}
