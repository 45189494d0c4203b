import type { MemoryItemKind } from '@aegis/database';

export const MEMORY_CONTENT_MAX_LENGTH = 4000;
export const MEMORY_DEFAULT_LIMIT = 20;
export const MEMORY_MAX_LIMIT = 100;

export interface MemoryItem {
  id: string;
  kind: MemoryItemKind;
  content: string;
  /** The conversation the item came from, if any. */
  source: string | null;
  createdAt: string;
}

export interface MemoryPage {
  items: MemoryItem[];
  nextCursor: string | null;
}

export interface SaveMemoryOptions {
  kind?: MemoryItemKind;
  source?: string | null;
}

/** What memory needs of an embedding provider; ProviderCascade satisfies it. */
export interface MemoryEmbedder {
  embed(texts: readonly string[], options?: { userId?: string; conversationId?: string }): Promise<{ embeddings: number[][] }>;
}

/** Injection token of the MemoryEmbedder (ProviderCascade in the application). */
export const MEMORY_EMBEDDER = Symbol('MEMORY_EMBEDDER');
