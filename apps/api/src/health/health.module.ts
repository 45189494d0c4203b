import { GovernanceModule } from '@aegis/governance';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ProvidersHttpModule } from '../providers/providers-http.module';
import { HealthController } from './health.controller';
import { SandboxHealthIndicator } from './sandbox.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ProvidersHttpModule, GovernanceModule],
  controllers: [HealthController],
  providers: [SandboxHealthIndicator],
})
export class HealthModule {}
