export { fuseRankings } from './lib/hybrid-ranking';
export { MemoryException, MemoryExceptionCode } from './lib/memory.exception';
export { MemoryModule } from './lib/memory.module';
export { MemoryService } from './lib/memory.service';
export {
  MEMORY_CONTENT_MAX_LENGTH,
  MEMORY_DEFAULT_LIMIT,
  MEMORY_EMBEDDER,
  MEMORY_MAX_LIMIT,
  type MemoryEmbedder,
  type MemoryItem,
  type MemoryPage,
  type SaveMemoryOptions,
} from './lib/memory.types';
