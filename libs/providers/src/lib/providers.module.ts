import { type AppConfig, APP_CONFIG } from '@aegis/config';
import type { ProviderName } from '@aegis/contracts';
import { Global, Logger, Module } from '@nestjs/common';
import { createProviderAdapters } from './adapters/create-adapters';
import type { ProviderAdapter } from './adapters/provider-adapter';
import { ProviderCascade } from './cascade/provider-cascade';
import { resolveProviderSettings, type ProviderSettings } from './provider-settings';
import { BatchedUsageStore } from './usage/batched-usage-store';
import { UsageReports } from './usage/usage-reports';
import { UsageTimeseriesReports } from './usage/usage-timeseries';
import { UsageRepository } from './usage/usage.repository';

/** The resolved ProviderSettings (injection token). */
export const PROVIDER_SETTINGS = Symbol('PROVIDER_SETTINGS');
/** The adapters of the configured providers (injection token; tests may replace it). */
export const PROVIDER_ADAPTERS = Symbol('PROVIDER_ADAPTERS');

/**
 * The provider layer for the whole application: ProviderCascade (chat streams, embeddings,
 * status) and UsageReports, configured from the global AppConfig. Needs ConfigModule and
 * DatabaseModule (TypeORM) in the application.
 */
@Global()
@Module({
  providers: [
    {
      provide: PROVIDER_SETTINGS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): ProviderSettings => resolveProviderSettings(config.providers),
    },
    {
      provide: PROVIDER_ADAPTERS,
      inject: [PROVIDER_SETTINGS],
      useFactory: (settings: ProviderSettings) => createProviderAdapters(settings),
    },
    UsageRepository,
    {
      // Usage rows are written in batches off the answers' path; flushed on shutdown (beforeApplicationShutdown).
      provide: BatchedUsageStore,
      inject: [UsageRepository],
      useFactory: (usage: UsageRepository) => new BatchedUsageStore(usage, new Logger('ProviderUsage')),
    },
    UsageReports,
    {
      provide: UsageTimeseriesReports,
      inject: [UsageRepository, PROVIDER_SETTINGS, BatchedUsageStore],
      useFactory: (usage: UsageRepository, settings: ProviderSettings, writes: BatchedUsageStore) =>
        new UsageTimeseriesReports(usage, settings.budget, writes),
    },
    {
      provide: ProviderCascade,
      inject: [PROVIDER_SETTINGS, PROVIDER_ADAPTERS, BatchedUsageStore],
      useFactory: (settings: ProviderSettings, adapters: Map<ProviderName, ProviderAdapter>, usage: BatchedUsageStore) =>
        new ProviderCascade(settings, adapters, usage),
    },
  ],
  exports: [ProviderCascade, UsageReports, UsageTimeseriesReports, PROVIDER_SETTINGS],
})
export class ProvidersModule {}
