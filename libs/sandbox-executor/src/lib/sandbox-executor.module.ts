import { Global, Module } from '@nestjs/common';
import { SecureExecutor } from './secure-executor';

/**
 * Provides SecureExecutor everywhere (needs ConfigModule.forRoot). It probes the drivers at
 * bootstrap (warming the Docker pool) and removes its containers when the app closes.
 */
@Global()
@Module({
  providers: [SecureExecutor],
  exports: [SecureExecutor],
})
export class SandboxExecutorModule {}
