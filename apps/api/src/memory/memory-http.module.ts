import { MemoryModule } from '@aegis/memory';
import { Module } from '@nestjs/common';
import { MemoryController } from './memory.controller';

/** GET/POST/DELETE /api/memory: a user's own long-term memory. */
@Module({ imports: [MemoryModule], controllers: [MemoryController] })
export class MemoryHttpModule {}
