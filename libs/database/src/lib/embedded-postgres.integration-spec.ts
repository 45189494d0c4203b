import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@aegis/contracts';
import { DataSource } from 'typeorm';
import { createDataSourceOptions, MIGRATIONS } from './data-source';
import { EmbeddedDatabaseLockedError, startEmbeddedPostgres } from './embedded-postgres';
import { UserEntity } from './entities/user.entity';
import { migrateDown, migrateUp, migrationStatus } from './migrations';

describe('embedded PGlite over pglite-socket', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aegis-pglite-'));

  it('runs the migrations and TypeORM through the pg driver, and keeps data across restarts', async () => {
    const first = await startEmbeddedPostgres(dataDir);
    try {
      expect(await migrateUp({ url: first.url, embedded: true })).toHaveLength(MIGRATIONS.length);
      const dataSource = await new DataSource(createDataSourceOptions({ url: first.url, embedded: true })).initialize();
      await dataSource.getRepository(UserEntity).save({ username: 'Alice', passwordHash: 'x', role: Role.Operator });
      await expect(dataSource.getRepository(UserEntity).save({ username: 'alice', passwordHash: 'y', role: Role.Viewer })).rejects.toThrow(
        /users_username_lower_key/,
      );
      await dataSource.destroy();
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres(dataDir);
    try {
      expect(await migrateUp({ url: second.url, embedded: true })).toEqual([]);
      const dataSource = await new DataSource(createDataSourceOptions({ url: second.url, embedded: true })).initialize();
      const users = await dataSource.getRepository(UserEntity).find();
      expect(users.map((u) => [u.username, u.role])).toEqual([['Alice', Role.Operator]]);
      expect(users[0].id).toMatch(/^[0-9a-f-]{36}$/);
      await dataSource.destroy();
    } finally {
      await second.stop();
    }
  });

  it('reverts and lists migrations through its single connection', async () => {
    const db = await startEmbeddedPostgres(mkdtempSync(join(tmpdir(), 'aegis-pglite-down-')));
    try {
      const connection = { url: db.url, embedded: true };
      await migrateUp(connection);
      expect(await migrateDown(connection, MIGRATIONS.length)).toHaveLength(MIGRATIONS.length);
      expect((await migrationStatus(connection)).every((m) => !m.applied)).toBe(true);
    } finally {
      await db.stop();
    }
  });

  it('has the pgvector extension', async () => {
    const db = await startEmbeddedPostgres(dataDir);
    const dataSource = await new DataSource(createDataSourceOptions({ url: db.url, embedded: true })).initialize();
    try {
      await dataSource.query('CREATE EXTENSION IF NOT EXISTS vector');
      const [row] = await dataSource.query<{ distance: number }[]>(`SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector AS distance`);
      expect(Number(row.distance)).toBeCloseTo(1);
    } finally {
      await dataSource.destroy();
      await db.stop();
    }
  });

  it('keeps audit_entries append-only with a trigger (PGlite has a single superuser, so no privilege can be revoked)', async () => {
    const db = await startEmbeddedPostgres(mkdtempSync(join(tmpdir(), 'aegis-pglite-audit-')));
    const connection = { url: db.url, embedded: true };
    await migrateUp(connection);
    const dataSource = await new DataSource(createDataSourceOptions(connection)).initialize();
    try {
      const [row] = await dataSource.query<{ id: string }[]>(
        `INSERT INTO audit_entries (actor_type, action, decision, prev_hash, hash) VALUES ('system', 'test', 'allowed', $1, $2) RETURNING id`,
        ['0'.repeat(64), '1'.repeat(64)],
      );
      await expect(dataSource.query(`UPDATE audit_entries SET decision = 'refused' WHERE id = $1`, [row.id])).rejects.toThrow(
        'audit_entries is append-only: UPDATE is refused',
      );
      await expect(dataSource.query(`DELETE FROM audit_entries`)).rejects.toThrow('audit_entries is append-only: DELETE is refused');
      await expect(dataSource.query(`TRUNCATE audit_entries`)).rejects.toThrow('audit_entries is append-only: TRUNCATE is refused');
      expect(await dataSource.query(`SELECT decision FROM audit_entries`)).toEqual([{ decision: 'allowed' }]);
    } finally {
      await dataSource.destroy();
      await migrateDown(connection, MIGRATIONS.length);
      await db.stop();
    }
  });

  it("keeps the caller's event loop turning while a heavy query runs (PGlite is in a worker thread)", async () => {
    const db = await startEmbeddedPostgres(mkdtempSync(join(tmpdir(), 'aegis-pglite-busy-')));
    const dataSource = await new DataSource(createDataSourceOptions({ url: db.url, embedded: true })).initialize();
    try {
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 1);
      const [row] = await dataSource.query<{ count: string }[]>('SELECT count(*) FROM generate_series(1, 2000000)');
      clearInterval(ticker);
      expect(row.count).toBe('2000000');
      // On the same thread the query would block the timers for its whole length (2 ticks when measured).
      expect(ticks).toBeGreaterThanOrEqual(20);
    } finally {
      await dataSource.destroy();
      await db.stop();
    }
  });

  it('refuses to open a directory another live process holds', async () => {
    const locked = mkdtempSync(join(tmpdir(), 'aegis-pglite-locked-'));
    writeFileSync(join(locked, 'pglite.lock'), String(process.ppid));
    await expect(startEmbeddedPostgres(locked)).rejects.toBeInstanceOf(EmbeddedDatabaseLockedError);
  });
});
