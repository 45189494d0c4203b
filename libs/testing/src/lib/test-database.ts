import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { MIGRATED_TEMPLATE, TEST_PG_URL_VARIABLE } from './test-env';

function clusterUrl(database: string): string {
  const admin = process.env[TEST_PG_URL_VARIABLE];
  if (!admin) {
    throw new Error(
      `${TEST_PG_URL_VARIABLE} is not set: run integration tests through their jest.integration.config.ts, ` +
        'whose global set-up starts PostgreSQL.',
    );
  }
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return url.toString();
}

async function create(name: string, template?: string): Promise<string> {
  const client = new Client({ connectionString: clusterUrl('postgres') });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    return clusterUrl(name);
  } finally {
    await client.end();
  }
}

/** A fresh database with every migration applied (a copy of the migrated template), for one test file. */
export function createTestDatabase(): Promise<string> {
  return create(`test_${randomBytes(6).toString('hex')}`, MIGRATED_TEMPLATE);
}

/** A fresh, empty database (no migrations), for migration tests. */
export function createEmptyTestDatabase(): Promise<string> {
  return create(`empty_${randomBytes(6).toString('hex')}`);
}
