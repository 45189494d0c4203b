import { createDataSourceOptions, type DatabaseConnection, MIGRATIONS } from '@aegis/database';
import { DataSource } from 'typeorm';

/** This build's migrations by name, oldest first. */
export const MIGRATION_NAMES: string[] = MIGRATIONS.map((migration) => migration.name);

/** Applies this build's migrations up to and including `last`: the schema a backup's rows were exported from. */
export async function migrateThrough(connection: DatabaseConnection, last: string): Promise<void> {
  const count = MIGRATION_NAMES.indexOf(last) + 1;
  if (count === 0) throw new Error(`unknown migration ${last}`);
  const dataSource = new DataSource({ ...createDataSourceOptions(connection), migrations: MIGRATIONS.slice(0, count) });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
