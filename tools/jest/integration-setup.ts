// Jest globalSetup for every *.integration-spec.ts: one real PostgreSQL server per run, with a
// template database migrated once, which test files copy (libs/testing createTestDatabase).
// It lives outside the libs because it ties the harness (libs/testing) to the migrations (libs/database).
import { join } from 'node:path';
import { Client } from 'pg';
import { register } from 'tsconfig-paths';
import type { PostgresCluster } from '../../libs/testing/src/lib/postgres-cluster';

declare global {
  var __AEGIS_PG_CLUSTER__: PostgresCluster | undefined;
}

export default async function setup(): Promise<void> {
  // Global set-up runs outside Jest's resolver: teach Node the @aegis/* paths of tsconfig.base.json.
  const root = join(__dirname, '..', '..');
  const { compilerOptions } = (await import(join(root, 'tsconfig.base.json'))) as { compilerOptions: { paths: Record<string, string[]> } };
  register({ baseUrl: root, paths: compilerOptions.paths });

  const { migrateUp } = await import('@aegis/database');
  const { startPostgresCluster, MIGRATED_TEMPLATE, TEST_PG_URL_VARIABLE } = await import('@aegis/testing');
  const cluster = await startPostgresCluster();
  globalThis.__AEGIS_PG_CLUSTER__ = cluster;
  const client = new Client({ connectionString: cluster.url() });
  await client.connect();
  await client.query(`CREATE DATABASE ${MIGRATED_TEMPLATE}`);
  await client.end();
  await migrateUp({ url: cluster.url(MIGRATED_TEMPLATE), embedded: false });
  process.env[TEST_PG_URL_VARIABLE] = cluster.url();
}
