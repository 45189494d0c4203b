import { isUuid } from '@aegis/contracts';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { fuseRankings } from './hybrid-ranking';
import { MemoryException, MemoryExceptionCode } from './memory.exception';
import { MemoryRepository, type MemoryRow } from './memory.repository';
import {
  MEMORY_CONTENT_MAX_LENGTH,
  MEMORY_DEFAULT_LIMIT,
  MEMORY_EMBEDDER,
  MEMORY_MAX_LIMIT,
  type MemoryEmbedder,
  type MemoryItem,
  type MemoryPage,
  type SaveMemoryOptions,
} from './memory.types';

/** Each search takes this many candidates per ranking before fusion. */
const CANDIDATES_PER_RANKING = 50;

function toItem(row: MemoryRow): MemoryItem {
  return { id: row.id, kind: row.kind, content: row.content, source: row.source, createdAt: new Date(row.created_at).toISOString() };
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return MEMORY_DEFAULT_LIMIT;
  return Math.min(MEMORY_MAX_LIMIT, Math.max(1, Math.trunc(limit)));
}

function encodeCursor(row: MemoryRow): string {
  return Buffer.from(`${row.created_at_exact ?? new Date(row.created_at).toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || !isUuid(id) || Number.isNaN(Date.parse(createdAt))) {
    throw new MemoryException(MemoryExceptionCode.ValidationFailed, 'cursor is invalid');
  }
  return { createdAt, id };
}

/**
 * Long-term memory per user: facts and conversation summaries, found by full-text search
 * everywhere and, where pgvector and an embedding provider exist, by vector similarity too
 * (the two rankings fused). Every query is scoped to one user id (MemoryRepository holds them).
 */
@Injectable()
export class MemoryService {
  private readonly logger = new Logger(MemoryService.name);
  private vectorDimensions: Promise<number | null> | undefined;
  private embeddingFailureLogged = false;

  constructor(
    private readonly items: MemoryRepository,
    @Optional() @Inject(MEMORY_EMBEDDER) private readonly embedder?: MemoryEmbedder | null,
  ) {}

  async save(userId: string, content: string, options: SaveMemoryOptions = {}): Promise<MemoryItem> {
    const text = content.trim();
    if (text.length === 0 || text.length > MEMORY_CONTENT_MAX_LENGTH) {
      throw new MemoryException(MemoryExceptionCode.ValidationFailed, `content must be 1 to ${MEMORY_CONTENT_MAX_LENGTH} characters`);
    }
    const kind = options.kind ?? 'fact';
    const source = options.source ?? null;
    if (source !== null && !isUuid(source)) throw new MemoryException(MemoryExceptionCode.ValidationFailed, 'source must be a UUID');
    const row = await this.items.insert(userId, kind, text, source);
    const embedding = await this.embed(text, userId, source ?? undefined);
    if (embedding) await this.items.setEmbedding(row.id, embedding);
    return toItem(row);
  }

  /** Best matches first; full-text only when there is no vector column, embedder, or the embedder fails. */
  async search(userId: string, query: string, limit?: number): Promise<MemoryItem[]> {
    const text = query.trim();
    const count = clampLimit(limit);
    if (text.length === 0) return (await this.list(userId, undefined, count)).items;
    const rankings = [await this.items.fullTextMatches(userId, text, CANDIDATES_PER_RANKING)];
    const embedding = await this.embed(text, userId);
    if (embedding) rankings.push(await this.items.nearest(userId, embedding, CANDIDATES_PER_RANKING));
    const ids = fuseRankings(rankings, count);
    if (ids.length === 0) return [];
    const rows = await this.items.findByIds(userId, ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toItem(row)] : [];
    });
  }

  /** Newest first, keyset-paginated. */
  async list(userId: string, cursor?: string, limit?: number): Promise<MemoryPage> {
    const count = clampLimit(limit);
    const after = cursor ? decodeCursor(cursor) : null;
    const rows = await this.items.newestFirst(userId, after, count + 1);
    const page = rows.slice(0, count);
    return { items: page.map(toItem), nextCursor: rows.length > count ? encodeCursor(page[page.length - 1]) : null };
  }

  /** Another user's item is reported as not found, like a missing one. */
  async delete(userId: string, id: string): Promise<void> {
    if (!isUuid(id)) throw new MemoryException(MemoryExceptionCode.ValidationFailed, 'id must be a UUID');
    if (!(await this.items.delete(userId, id))) throw new MemoryException(MemoryExceptionCode.NotFound, 'Memory item not found');
  }

  /** Whether the vector path can run: pgvector's column exists and an embedder is configured. */
  async vectorSearchAvailable(): Promise<boolean> {
    return Boolean(this.embedder) && (await this.dimensions()) !== null;
  }

  private dimensions(): Promise<number | null> {
    this.vectorDimensions ??= this.items.embeddingDimensions();
    return this.vectorDimensions;
  }

  /** The text's embedding as a pgvector literal, or null when the vector path is off or fails (logged once). */
  private async embed(text: string, userId: string, conversationId?: string): Promise<string | null> {
    if (!this.embedder) return null;
    const dimensions = await this.dimensions();
    if (dimensions === null) return null;
    try {
      const { embeddings } = await this.embedder.embed([text], { userId, conversationId });
      const vector = embeddings[0];
      if (!vector || vector.length !== dimensions)
        throw new Error(`the embedding has ${vector?.length ?? 0} dimensions, the column ${dimensions}`);
      return `[${vector.join(',')}]`;
    } catch (error) {
      if (!this.embeddingFailureLogged) {
        this.embeddingFailureLogged = true;
        this.logger.warn(
          `memory falls back to full-text search: embedding failed (${error instanceof Error ? error.message : String(error)})`,
        );
      }
      return null;
    }
  }
}
