import { GovernanceModule } from '@aegis/governance';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ProvidersHttpModule } from '../providers/providers-http.module';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { RedisHealthIndicator } from './redis.health';
import { SandboxHealthIndicator } from './sandbox.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ProvidersHttpModule, GovernanceModule],
  controllers: [HealthController],
  providers: [HealthRepository, DatabaseHealthIndicator, RedisHealthIndicator, SandboxHealthIndicator],
})
export class HealthModule {}
