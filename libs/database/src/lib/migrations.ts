import { DataSource } from 'typeorm';
import { createDataSourceOptions, type DatabaseConnection } from './data-source';

export interface MigrationStatus {
  name: string;
  applied: boolean;
}

async function withDataSource<T>(connection: DatabaseConnection, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const dataSource = new DataSource(createDataSourceOptions(connection));
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** Applies every pending migration; returns the names applied. */
export function migrateUp(connection: DatabaseConnection): Promise<string[]> {
  return withDataSource(connection, async (dataSource) => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  });
}

/** Reverts the last `steps` applied migrations, newest first; returns the names reverted. */
export function migrateDown(connection: DatabaseConnection, steps = 1): Promise<string[]> {
  return withDataSource(connection, async (dataSource) => {
    const reverted: string[] = [];
    for (let step = 0; step < steps; step++) {
      const before = await appliedNames(dataSource);
      if (before.length === 0) break;
      await dataSource.undoLastMigration({ transaction: 'each' });
      reverted.push(before[before.length - 1]);
    }
    return reverted;
  });
}

export function migrationStatus(connection: DatabaseConnection): Promise<MigrationStatus[]> {
  return withDataSource(connection, async (dataSource) => {
    const applied = new Set(await appliedNames(dataSource));
    return dataSource.migrations.map((migration) => ({
      name: migration.name ?? migration.constructor.name,
      applied: applied.has(migration.name ?? migration.constructor.name),
    }));
  });
}

async function appliedNames(dataSource: DataSource): Promise<string[]> {
  const [{ present }] = await dataSource.query<{ present: boolean }[]>(`SELECT to_regclass('migrations') IS NOT NULL AS present`);
  if (!present) return [];
  const rows: { name: string }[] = await dataSource.query('SELECT name FROM migrations ORDER BY timestamp ASC, id ASC');
  return rows.map((row) => row.name);
}
