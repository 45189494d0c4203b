import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuthAndAudit1795291000000 implements MigrationInterface {
  name = 'CreateAuthAndAudit1795291000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family_id uuid NOT NULL,
        token_hash char(64) NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        ip varchar(64),
        user_agent varchar(512),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await queryRunner.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`);
    await queryRunner.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        prefix varchar(24) NOT NULL,
        key_hash char(64) NOT NULL UNIQUE,
        role varchar(16) NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX api_keys_user_idx ON api_keys (user_id)`);
    await queryRunner.query(`
      CREATE TABLE audit_entries (
        id bigserial PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        actor_type varchar(16) NOT NULL CHECK (actor_type IN ('user', 'api_key', 'anonymous', 'system')),
        actor_id varchar(64),
        actor_name varchar(128),
        role varchar(16),
        run_id uuid,
        action varchar(128) NOT NULL,
        action_class varchar(16),
        decision varchar(32) NOT NULL,
        reason text,
        args jsonb NOT NULL DEFAULT '{}'::jsonb,
        result jsonb,
        ip varchar(64),
        user_agent varchar(512),
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL UNIQUE
      )`);
    await queryRunner.query(`CREATE INDEX audit_entries_action_idx ON audit_entries (action, id)`);
    await queryRunner.query(`CREATE INDEX audit_entries_actor_idx ON audit_entries (actor_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_entries`);
    await queryRunner.query(`DROP TABLE api_keys`);
    await queryRunner.query(`DROP TABLE refresh_tokens`);
  }
}
