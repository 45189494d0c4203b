/** Set by the integration global set-up: the admin URL of the test run's PostgreSQL server. */
export const TEST_PG_URL_VARIABLE = 'AEGIS_TEST_PG_URL';

/** The database the global set-up migrates once; each test database is a copy of it. */
export const MIGRATED_TEMPLATE = 'aegis_template';
