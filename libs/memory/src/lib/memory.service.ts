import type { MemoryItemKind } from '@aegis/database';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { fuseRankings } from './hybrid-ranking';
import { MemoryException, MemoryExceptionCode } from './memory.exception';
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

interface MemoryRow {
  id: string;
  kind: MemoryItemKind;
  content: string;
  source: string | null;
  created_at: Date;
  /** Full microsecond precision (a JS Date keeps milliseconds only), for cursors. */
  created_at_exact?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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
  if (!createdAt || !id || !UUID.test(id) || Number.isNaN(Date.parse(createdAt))) {
    throw new MemoryException(MemoryExceptionCode.ValidationFailed, 'cursor is invalid');
  }
  return { createdAt, id };
}

/**
 * Long-term memory per user: facts and conversation summaries, found by full-text search
 * everywhere and, where pgvector and an embedding provider exist, by vector similarity too
 * (the two rankings fused). Every query is scoped to one user id.
 */
@Injectable()
export class MemoryService {
  private readonly logger = new Logger(MemoryService.name);
  private vectorDimensions: Promise<number | null> | undefined;
  private embeddingFailureLogged = false;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(MEMORY_EMBEDDER) private readonly embedder?: MemoryEmbedder | null,
  ) {}

  async save(userId: string, content: string, options: SaveMemoryOptions = {}): Promise<MemoryItem> {
    const text = content.trim();
    if (text.length === 0 || text.length > MEMORY_CONTENT_MAX_LENGTH) {
      throw new MemoryException(MemoryExceptionCode.ValidationFailed, `content must be 1 to ${MEMORY_CONTENT_MAX_LENGTH} characters`);
    }
    const kind = options.kind ?? 'fact';
    const source = options.source ?? null;
    if (source !== null && !UUID.test(source)) throw new MemoryException(MemoryExceptionCode.ValidationFailed, 'source must be a UUID');
    const [row] = await this.dataSource.query<MemoryRow[]>(
      `INSERT INTO memory_items (user_id, kind, content, source) VALUES ($1, $2, $3, $4) RETURNING id, kind, content, source, created_at`,
      [userId, kind, text, source],
    );
    const embedding = await this.embed(text, userId, source ?? undefined);
    if (embedding) await this.dataSource.query(`UPDATE memory_items SET embedding = $1::vector WHERE id = $2`, [embedding, row.id]);
    return toItem(row);
  }

  /** Best matches first; full-text only when there is no vector column, embedder, or the embedder fails. */
  async search(userId: string, query: string, limit?: number): Promise<MemoryItem[]> {
    const text = query.trim();
    const count = clampLimit(limit);
    if (text.length === 0) return (await this.list(userId, undefined, count)).items;
    const fullText = await this.dataSource.query<{ id: string }[]>(
      // Words are OR-ed (any word may match) and ranked by ts_rank, so a question finds facts that share some of its words;
      // a query with a negation (-word) keeps websearch's AND, which OR would turn into "anything without word".
      `WITH w AS (SELECT websearch_to_tsquery('english', $2) AS query),
            q AS (SELECT CASE WHEN strpos(w.query::text, '!') > 0 THEN w.query ELSE replace(w.query::text, ' & ', ' | ')::tsquery END AS query FROM w)
       SELECT m.id FROM memory_items m, q
       WHERE m.user_id = $1 AND m.search_vector @@ q.query
       ORDER BY ts_rank(m.search_vector, q.query) DESC, m.created_at DESC, m.id
       LIMIT $3`,
      [userId, text, CANDIDATES_PER_RANKING],
    );
    const rankings = [fullText.map((row) => row.id)];
    const embedding = await this.embed(text, userId);
    if (embedding) {
      const nearest = await this.dataSource.query<{ id: string }[]>(
        `SELECT id FROM memory_items WHERE user_id = $1 AND embedding IS NOT NULL ORDER BY embedding <=> $2::vector, id LIMIT $3`,
        [userId, embedding, CANDIDATES_PER_RANKING],
      );
      rankings.push(nearest.map((row) => row.id));
    }
    const ids = fuseRankings(rankings, count);
    if (ids.length === 0) return [];
    const rows = await this.dataSource.query<MemoryRow[]>(
      `SELECT id, kind, content, source, created_at FROM memory_items WHERE user_id = $1 AND id = ANY($2::uuid[])`,
      [userId, ids],
    );
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
    const rows = await this.dataSource.query<MemoryRow[]>(
      `SELECT id, kind, content, source, created_at, created_at::text AS created_at_exact FROM memory_items
       WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [userId, after?.createdAt ?? null, after?.id ?? null, count + 1],
    );
    const page = rows.slice(0, count);
    return { items: page.map(toItem), nextCursor: rows.length > count ? encodeCursor(page[page.length - 1]) : null };
  }

  /** Another user's item is reported as not found, like a missing one. */
  async delete(userId: string, id: string): Promise<void> {
    if (!UUID.test(id)) throw new MemoryException(MemoryExceptionCode.ValidationFailed, 'id must be a UUID');
    const [, affected] = await this.dataSource.query<[unknown, number]>(`DELETE FROM memory_items WHERE id = $1 AND user_id = $2`, [id, userId]);
    if (!affected) throw new MemoryException(MemoryExceptionCode.NotFound, 'Memory item not found');
  }

  /** Whether the vector path can run: pgvector's column exists and an embedder is configured. */
  async vectorSearchAvailable(): Promise<boolean> {
    return Boolean(this.embedder) && (await this.dimensions()) !== null;
  }

  private dimensions(): Promise<number | null> {
    this.vectorDimensions ??= this.dataSource
      .query<{ dimensions: number }[]>(
        `SELECT atttypmod AS dimensions FROM pg_attribute
         WHERE attrelid = 'memory_items'::regclass AND attname = 'embedding' AND NOT attisdropped`,
      )
      .then((rows) => (rows.length > 0 ? Number(rows[0].dimensions) : null));
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
      if (!vector || vector.length !== dimensions) throw new Error(`the embedding has ${vector?.length ?? 0} dimensions, the column ${dimensions}`);
      return `[${vector.join(',')}]`;
    } catch (error) {
      if (!this.embeddingFailureLogged) {
        this.embeddingFailureLogged = true;
        this.logger.warn(`memory falls back to full-text search: embedding failed (${error instanceof Error ? error.message : String(error)})`);
      }
      return null;
    }
  }
}
