import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApprovalsAndActions1795293000000 implements MigrationInterface {
  name = 'CreateApprovalsAndActions1795293000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE approval_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tool varchar(64) NOT NULL,
        action_class varchar(16) NOT NULL,
        args jsonb NOT NULL,
        args_sha256 char(64) NOT NULL,
        justification text NOT NULL,
        requested_by_type varchar(16) NOT NULL CHECK (requested_by_type IN ('user', 'api_key')),
        requested_by_id varchar(64) NOT NULL,
        requested_by_name varchar(128) NOT NULL,
        requested_by_user_id uuid NOT NULL REFERENCES users (id),
        requester_role varchar(16) NOT NULL CHECK (requester_role IN ('viewer', 'operator', 'admin')),
        run_id uuid,
        status varchar(16) NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'approved', 'executing', 'executed', 'failed', 'rejected', 'expired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        decided_by_id uuid REFERENCES users (id),
        decided_by_name varchar(128),
        decided_at timestamptz,
        decision_comment text,
        action_id uuid
      )`);
    await queryRunner.query(`CREATE INDEX approval_requests_status_idx ON approval_requests (status, created_at)`);
    await queryRunner.query(`
      CREATE TABLE tool_actions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tool varchar(64) NOT NULL,
        action_class varchar(16) NOT NULL,
        actor_type varchar(16) NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
        actor_id varchar(64),
        actor_name varchar(128),
        role varchar(16) NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        run_id uuid,
        approval_id uuid REFERENCES approval_requests (id),
        args_sha256 char(64) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        verification jsonb,
        rollback jsonb,
        error_code varchar(64),
        error_message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        rolled_back_at timestamptz,
        rolled_back_by_id uuid REFERENCES users (id),
        rolled_back_by_name varchar(128)
      )`);
    await queryRunner.query(`CREATE INDEX tool_actions_created_idx ON tool_actions (created_at)`);
    await queryRunner.query(
      `ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_action_fk FOREIGN KEY (action_id) REFERENCES tool_actions (id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_action_fk`);
    await queryRunner.query(`DROP TABLE tool_actions`);
    await queryRunner.query(`DROP TABLE approval_requests`);
  }
}
