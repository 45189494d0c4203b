// Jest globalSetup for every *.integration-spec.ts: one real PostgreSQL server per run, with a
// template database migrated once, which test files copy (libs/testing createTestDatabase).
// It lives outside the libs because it ties the harness (libs/testing) to the migrations (libs/database).
import { join } from 'node:path';
import type * as Database from '@aegis/database';
import type * as Testing from '@aegis/testing';
import { Client } from 'pg';
import { require as tsxRequire } from 'tsx/cjs/api';
import type { PostgresCluster } from '../../libs/testing/src/lib/postgres-cluster';

declare global {
  var __AEGIS_PG_CLUSTER__: PostgresCluster | undefined;
}

export default async function setup(): Promise<void> {
  // Global set-up runs outside Jest's resolver and transform: tsx loads the libs with the decorators and
  // the @aegis/* `paths` of tsconfig.base.json (the root tsconfig.json lists no files, so tsx would apply neither).
  // The entries are paths: tsx maps `paths` only in imports made from workspace files, not from its own require.
  process.env['TSX_TSCONFIG_PATH'] = join(__dirname, '..', '..', 'tsconfig.base.json');
  const { migrateUp } = tsxRequire('../../libs/database/src/index.ts', __filename) as typeof Database;
  const { startPostgresCluster, MIGRATED_TEMPLATE, TEST_PG_URL_VARIABLE } = tsxRequire(
    '../../libs/testing/src/index.ts',
    __filename,
  ) as typeof Testing;
  const cluster = await startPostgresCluster();
  globalThis.__AEGIS_PG_CLUSTER__ = cluster;
  const client = new Client({ connectionString: cluster.url() });
  await client.connect();
  await client.query(`CREATE DATABASE ${MIGRATED_TEMPLATE}`);
  await client.end();
  await migrateUp({ url: cluster.url(MIGRATED_TEMPLATE), embedded: false });
  process.env[TEST_PG_URL_VARIABLE] = cluster.url();
}
