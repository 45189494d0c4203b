export { startPostgresCluster, type PostgresCluster } from './lib/postgres-cluster';
export { createEmptyTestDatabase, createTestDatabase } from './lib/test-database';
export { MIGRATED_TEMPLATE, TEST_PG_URL_VARIABLE } from './lib/test-env';
export { testConfig } from './lib/test-config';
