import { type AppConfig, APP_CONFIG } from '@aegis/config';
import { Module } from '@nestjs/common';
import { SecureExecutor } from './secure-executor';

/**
 * Provides SecureExecutor to the one module that imports it: GovernanceModule (needs ConfigModule.forRoot).
 * Not global, so no other module can inject the executor (docs/governance.md "The one door"). It probes
 * the drivers at bootstrap (warming the Docker pool) and removes its containers when the app closes.
 */
@Module({
  providers: [{ provide: SecureExecutor, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new SecureExecutor(config) }],
  exports: [SecureExecutor],
})
export class SandboxExecutorModule {}
