import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsageRecords1795292000000 implements MigrationInterface {
  name = 'CreateUsageRecords1795292000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE usage_records (
        id bigserial PRIMARY KEY,
        day date NOT NULL,
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        conversation_id uuid,
        provider varchar(32) NOT NULL,
        model varchar(128) NOT NULL,
        requests integer NOT NULL DEFAULT 0 CHECK (requests >= 0),
        input_tokens bigint NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
        output_tokens bigint NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
        cost_micro_usd bigint NOT NULL DEFAULT 0 CHECK (cost_micro_usd >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One row per day and key; NULLS NOT DISTINCT (PostgreSQL 15+) so rows without a user or conversation still add up.
    await queryRunner.query(
      `CREATE UNIQUE INDEX usage_records_key ON usage_records (day, user_id, conversation_id, provider, model) NULLS NOT DISTINCT`,
    );
    await queryRunner.query(`CREATE INDEX usage_records_user_day_idx ON usage_records (user_id, day)`);
    await queryRunner.query(`CREATE INDEX usage_records_day_idx ON usage_records (day)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE usage_records`);
  }
}
