import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Dimensions of memory embeddings; a different embedding model needs a new migration (vectors of two models cannot be mixed). */
export const MEMORY_EMBEDDING_DIMENSIONS = 1536;

export class CreateUploadsAndMemory1795295000000 implements MigrationInterface {
  name = 'CreateUploadsAndMemory1795295000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE uploads (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        mime varchar(128) NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        sha256 char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX uploads_owner_idx ON uploads (owner_id, created_at)`);
    await queryRunner.query(`CREATE INDEX uploads_sha256_idx ON uploads (sha256)`);
    await queryRunner.query(`
      CREATE TABLE memory_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind varchar(16) NOT NULL CHECK (kind IN ('fact', 'summary')),
        content text NOT NULL CHECK (char_length(content) BETWEEN 1 AND 4000),
        source uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED
      )`);
    await queryRunner.query(`CREATE INDEX memory_items_user_idx ON memory_items (user_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX memory_items_search_idx ON memory_items USING GIN (search_vector)`);
    // pgvector is optional (PGlite has it, a plain PostgreSQL may not, a non-superuser may not create it):
    // the column and its index exist only where it can be had; the code detects the column at run time.
    await queryRunner.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
          BEGIN
            CREATE EXTENSION IF NOT EXISTS vector;
          EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'pgvector is available but this role may not create it: memory uses full-text search only';
          END;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
          ALTER TABLE memory_items ADD COLUMN embedding vector(${MEMORY_EMBEDDING_DIMENSIONS});
          CREATE INDEX memory_items_embedding_idx ON memory_items USING hnsw (embedding vector_cosine_ops);
        END IF;
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE memory_items`);
    await queryRunner.query(`DROP TABLE uploads`);
  }
}
