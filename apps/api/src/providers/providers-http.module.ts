import { ProvidersModule } from '@aegis/providers';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MetricsModule } from '../metrics/metrics.module';
import { ProviderMetrics } from './provider-metrics';
import { ProvidersController } from './providers.controller';
import { ProvidersHealthIndicator } from './providers.health';
import { UsageController } from './usage.controller';

/** The HTTP face of libs/providers: GET /api/providers, GET /api/usage, provider metrics, and a health indicator for /api/health. */
@Module({
  imports: [ProvidersModule, TerminusModule, MetricsModule],
  controllers: [ProvidersController, UsageController],
  providers: [ProvidersHealthIndicator, ProviderMetrics],
  exports: [ProvidersHealthIndicator],
})
export class ProvidersHttpModule {}
