import { ProviderCascade } from '@aegis/providers';
import { Module } from '@nestjs/common';
import { MemoryRepository } from './memory.repository';
import { MemoryService } from './memory.service';
import { MEMORY_EMBEDDER } from './memory.types';

/** MemoryService with ProviderCascade as its embedder; needs DatabaseModule and ProvidersModule (global) in the application. */
@Module({
  providers: [MemoryRepository, MemoryService, { provide: MEMORY_EMBEDDER, useExisting: ProviderCascade }],
  exports: [MemoryService],
})
export class MemoryModule {}
