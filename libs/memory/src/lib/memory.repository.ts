import type { MemoryItemKind } from '@aegis/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** One memory_items row as the service reads it. */
export interface MemoryRow {
  id: string;
  kind: MemoryItemKind;
  content: string;
  source: string | null;
  created_at: Date;
  /** Full microsecond precision (a JS Date keeps milliseconds only), for cursors. */
  created_at_exact?: string;
}

/** memory_items, every query scoped to one user id; the embedding column exists only where pgvector does. */
@Injectable()
export class MemoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(userId: string, kind: MemoryItemKind, content: string, source: string | null): Promise<MemoryRow> {
    const [row] = await this.dataSource.query<MemoryRow[]>(
      `INSERT INTO memory_items (user_id, kind, content, source) VALUES ($1, $2, $3, $4) RETURNING id, kind, content, source, created_at`,
      [userId, kind, content, source],
    );
    return row;
  }

  /** Stores an item's embedding (a pgvector literal). */
  async setEmbedding(id: string, embedding: string): Promise<void> {
    await this.dataSource.query(`UPDATE memory_items SET embedding = $1::vector WHERE id = $2`, [embedding, id]);
  }

  /** The user's items matching `text` by full text, best first. */
  async fullTextMatches(userId: string, text: string, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      // Words are OR-ed (any word may match) and ranked by ts_rank, so a question finds facts that share some of its words;
      // a query with a negation (-word) keeps websearch's AND, which OR would turn into "anything without word".
      `WITH w AS (SELECT websearch_to_tsquery('english', $2) AS query),
            q AS (SELECT CASE WHEN strpos(w.query::text, '!') > 0 THEN w.query ELSE replace(w.query::text, ' & ', ' | ')::tsquery END AS query FROM w)
       SELECT m.id FROM memory_items m, q
       WHERE m.user_id = $1 AND m.search_vector @@ q.query
       ORDER BY ts_rank(m.search_vector, q.query) DESC, m.created_at DESC, m.id
       LIMIT $3`,
      [userId, text, limit],
    );
    return rows.map((row) => row.id);
  }

  /** The user's items nearest to `embedding` (a pgvector literal), nearest first. */
  async nearest(userId: string, embedding: string, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM memory_items WHERE user_id = $1 AND embedding IS NOT NULL ORDER BY embedding <=> $2::vector, id LIMIT $3`,
      [userId, embedding, limit],
    );
    return rows.map((row) => row.id);
  }

  findByIds(userId: string, ids: readonly string[]): Promise<MemoryRow[]> {
    return this.dataSource.query<MemoryRow[]>(
      `SELECT id, kind, content, source, created_at FROM memory_items WHERE user_id = $1 AND id = ANY($2::uuid[])`,
      [userId, ids],
    );
  }

  /** Up to `limit` items, newest first, older than `after` when given (keyset on created_at, id). */
  newestFirst(userId: string, after: { createdAt: string; id: string } | null, limit: number): Promise<MemoryRow[]> {
    return this.dataSource.query<MemoryRow[]>(
      `SELECT id, kind, content, source, created_at, created_at::text AS created_at_exact FROM memory_items
       WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [userId, after?.createdAt ?? null, after?.id ?? null, limit],
    );
  }

  /** Deletes the user's item; false when the user has no such item. */
  async delete(userId: string, id: string): Promise<boolean> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(`DELETE FROM memory_items WHERE id = $1 AND user_id = $2`, [
      id,
      userId,
    ]);
    return Boolean(affected);
  }

  /** The embedding column's dimensions, or null where pgvector (and so the column) is absent. */
  async embeddingDimensions(): Promise<number | null> {
    const rows = await this.dataSource.query<{ dimensions: number }[]>(
      `SELECT atttypmod AS dimensions FROM pg_attribute
       WHERE attrelid = 'memory_items'::regclass AND attname = 'embedding' AND NOT attisdropped`,
    );
    return rows.length > 0 ? Number(rows[0].dimensions) : null;
  }
}
