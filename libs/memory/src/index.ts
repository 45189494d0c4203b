export { MemoryModule } from './lib/memory.module';
export { MemoryService } from './lib/memory.service';
export { MEMORY_CONTENT_MAX_LENGTH, MEMORY_MAX_LIMIT, type MemoryItem } from './lib/memory.types';
