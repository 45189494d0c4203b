import { GovernanceModule } from '@aegis/governance';
import { Module } from '@nestjs/common';
import { GovernanceMetrics } from './governance-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { MetricsTokenGuard } from './metrics-token.guard';

/** GET /metrics (docs/observability.md): HTTP and process metrics here, governance's through GovernanceMetrics, providers' in ProvidersHttpModule. */
@Module({
  imports: [GovernanceModule],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsTokenGuard, GovernanceMetrics],
  exports: [MetricsService],
})
export class MetricsModule {}
