import { Module } from '@nestjs/common';
import { SecureExecutor } from './secure-executor';

/**
 * Provides SecureExecutor to the one module that imports it: GovernanceModule (needs ConfigModule.forRoot).
 * Not global, so no other module can inject the executor (docs/governance.md "The one door"). It probes
 * the drivers at bootstrap (warming the Docker pool) and removes its containers when the app closes.
 */
@Module({
  providers: [SecureExecutor],
  exports: [SecureExecutor],
})
export class SandboxExecutorModule {}
