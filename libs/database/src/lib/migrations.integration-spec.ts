import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmptyTestDatabase, TEST_PG_URL_VARIABLE } from '@aegis/testing';
import { Client } from 'pg';
import { type DatabaseConnection, MIGRATIONS } from './data-source';
import { startEmbeddedPostgres } from './embedded-postgres';
import { migrateDown, migrateUp, migrationStatus } from './migrations';

/** Tables, columns and indexes of the public schema, as text, to compare schemas. */
async function schemaOf(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query<{ line: string }>(
      `SELECT table_name || '.' || column_name || ':' || data_type AS line
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    const indexes = await client.query<{ line: string }>(
      `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'migrations'`,
    );
    return [...columns.rows, ...indexes.rows].map((row) => row.line).sort();
  } finally {
    await client.end();
  }
}

describe('migrations on PostgreSQL', () => {
  let connection: { url: string; embedded: boolean };

  beforeAll(async () => {
    connection = { url: await createEmptyTestDatabase(), embedded: false };
  });

  it('applies every migration, then reverts each one back to an empty schema', async () => {
    expect((await migrationStatus(connection)).every((m) => !m.applied)).toBe(true);

    const applied = await migrateUp(connection);
    expect(applied).toEqual(MIGRATIONS.map((m) => m.name));
    expect((await migrationStatus(connection)).every((m) => m.applied)).toBe(true);
    expect(await schemaOf(connection.url)).toContain('users.password_hash:text');
    expect(await migrateUp(connection)).toEqual([]);

    const reverted = await migrateDown(connection, MIGRATIONS.length);
    expect(reverted).toEqual(MIGRATIONS.map((m) => m.name).reverse());
    expect(await schemaOf(connection.url)).toEqual([]);
  });

  it('each migration is reversible: up, down, up gives the same schema', async () => {
    await migrateDown(connection, MIGRATIONS.length);
    for (let index = 0; index < MIGRATIONS.length; index++) {
      const before = await schemaOf(connection.url);
      await migrateUpOne(connection.url);
      const after = await schemaOf(connection.url);
      await migrateDown(connection, 1);
      expect(await schemaOf(connection.url)).toEqual(before);
      await migrateUpOne(connection.url);
      expect(await schemaOf(connection.url)).toEqual(after);
    }
  });

  it('revokes UPDATE, DELETE and TRUNCATE on audit_entries from an application role that is not a superuser, and gives them back on down', async () => {
    const admin = new URL(process.env[TEST_PG_URL_VARIABLE] ?? '');
    const role = `aegis_app_${randomBytes(4).toString('hex')}`;
    const asAdmin = new Client({ connectionString: admin.toString() });
    await asAdmin.connect();
    await asAdmin.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER`);
    await asAdmin.query(`CREATE DATABASE ${role} OWNER ${role}`);
    await asAdmin.end();
    const url = new URL(admin.toString());
    url.username = role;
    url.pathname = `/${role}`;
    const own = { url: url.toString(), embedded: false };
    await migrateUp(own);
    const client = new Client({ connectionString: own.url });
    await client.connect();
    try {
      const privileges = () =>
        client.query<{ update: boolean; delete: boolean; truncate: boolean; insert: boolean }>(
          `SELECT has_table_privilege('audit_entries', 'UPDATE') AS update, has_table_privilege('audit_entries', 'DELETE') AS delete,
                  has_table_privilege('audit_entries', 'TRUNCATE') AS truncate, has_table_privilege('audit_entries', 'INSERT') AS insert`,
        );
      expect((await privileges()).rows[0]).toEqual({ update: false, delete: false, truncate: false, insert: true });
      await expect(client.query('DELETE FROM audit_entries')).rejects.toThrow(/permission denied/);
      // Down to (and including) the migration that revoked them; later migrations go first.
      const auditIndex = MIGRATIONS.findIndex((migration) => migration.name === 'MakeAuditEntriesAppendOnly1795294000000');
      await migrateDown(own, MIGRATIONS.length - auditIndex);
      expect((await privileges()).rows[0]).toEqual({ update: true, delete: true, truncate: true, insert: true });
    } finally {
      await client.end();
    }
  });

  async function migrateUpOne(url: string): Promise<void> {
    const pending = (await migrationStatus({ url, embedded: false })).filter((m) => !m.applied);
    expect(pending.length).toBeGreaterThan(0);
    // Apply everything, then step back to exactly one more than before.
    const applied = await migrateUp({ url, embedded: false });
    if (applied.length > 1) await migrateDown({ url, embedded: false }, applied.length - 1);
  }
});

// Production migrates forward only; the newest migration's `down` is what an operator may run right after
// an upgrade that went wrong (docs/operations.md, "Upgrades"), so it must work with data in place.
describe.each([
  ['PostgreSQL', false],
  ['the embedded database (PGlite)', true],
])('the newest migration on %s', (_name, embedded) => {
  it('reverts with down and comes back with up: the same schema, the rows kept', async () => {
    const newest = MIGRATIONS[MIGRATIONS.length - 1].name;
    const dataDir = mkdtempSync(join(tmpdir(), 'aegis-migrations-'));
    const pglite = embedded ? await startEmbeddedPostgres(dataDir) : undefined;
    const connection: DatabaseConnection = { url: pglite?.url ?? (await createEmptyTestDatabase()), embedded };
    const rows = async () => {
      const client = new Client({ connectionString: connection.url });
      await client.connect();
      try {
        return (await client.query<{ username: string }>('SELECT username FROM users ORDER BY username')).rows;
      } finally {
        await client.end();
      }
    };
    try {
      await migrateUp(connection);
      const client = new Client({ connectionString: connection.url });
      await client.connect();
      await client.query(`INSERT INTO users (username, password_hash, role) VALUES ('kept', 'hash', 'admin')`);
      await client.end();
      const schema = await schemaOf(connection.url);

      expect(await migrateDown(connection, 1)).toEqual([newest]);
      expect(await schemaOf(connection.url)).not.toEqual(schema);
      expect(await migrateUp(connection)).toEqual([newest]);
      expect(await schemaOf(connection.url)).toEqual(schema);
      expect(await rows()).toEqual([{ username: 'kept' }]);
    } finally {
      await pglite?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
