import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An approval request names the agent's tool call that asked for it, so the chat can link the two. */
export class AddApprovalToolCallId1795297000000 implements MigrationInterface {
  name = 'AddApprovalToolCallId1795297000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE approval_requests ADD COLUMN tool_call_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE approval_requests DROP COLUMN tool_call_id`);
  }
}
