import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An approval request names the conversation of the agent run that asked, so the approvals queue can link to it. */
export class AddApprovalConversationId1795298000000 implements MigrationInterface {
  name = 'AddApprovalConversationId1795298000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE approval_requests ADD COLUMN conversation_id uuid`);
    // The approvals list pages newest first by (created_at, id), filtered by status.
    await queryRunner.query(`CREATE INDEX approval_requests_created_idx ON approval_requests (created_at DESC, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX approval_requests_created_idx`);
    await queryRunner.query(`ALTER TABLE approval_requests DROP COLUMN conversation_id`);
  }
}
