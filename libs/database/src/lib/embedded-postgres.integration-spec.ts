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
      await expect(
        dataSource.getRepository(UserEntity).save({ username: 'alice', passwordHash: 'y', role: Role.Viewer }),
      ).rejects.toThrow(/users_username_lower_key/);
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

  it('refuses to open a directory another live process holds', async () => {
    const locked = mkdtempSync(join(tmpdir(), 'aegis-pglite-locked-'));
    writeFileSync(join(locked, 'pglite.lock'), String(process.ppid));
    await expect(startEmbeddedPostgres(locked)).rejects.toBeInstanceOf(EmbeddedDatabaseLockedError);
  });
});
