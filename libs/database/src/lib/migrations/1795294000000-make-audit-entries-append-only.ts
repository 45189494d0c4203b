import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * audit_entries becomes append-only for the application: a trigger refuses UPDATE, DELETE and
 * TRUNCATE for every role (PostgreSQL and PGlite alike), and where the application's role is not
 * a superuser its own UPDATE/DELETE/TRUNCATE privileges are revoked as well. The table's owner or
 * a superuser can still drop the trigger: tampering is then caught by the hash chain (/audit/verify).
 */
export class MakeAuditEntriesAppendOnly1795294000000 implements MigrationInterface {
  name = 'MakeAuditEntriesAppendOnly1795294000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entries is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries
        FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM PUBLIC`);
    // A superuser bypasses privileges, so revoking its own would only pretend; any other role loses them.
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
          EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM %I', current_user);
        END IF;
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
          EXECUTE format('GRANT UPDATE, DELETE, TRUNCATE ON audit_entries TO %I', current_user);
        END IF;
      END
      $$`);
    await queryRunner.query(`DROP TRIGGER audit_entries_no_truncate ON audit_entries`);
    await queryRunner.query(`DROP TRIGGER audit_entries_no_change ON audit_entries`);
    await queryRunner.query(`DROP FUNCTION audit_entries_append_only()`);
  }
}
