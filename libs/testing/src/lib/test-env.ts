/** Set by the integration global set-up: the admin URL of the test run's PostgreSQL server. */
export const TEST_PG_URL_VARIABLE = 'AEGIS_TEST_PG_URL';

/** The database the global set-up migrates once; each test database is a copy of it. */
export const MIGRATED_TEMPLATE = 'aegis_template';

/**
 * With CI=true a missing service fails the run, never skips (docs/architecture.md "Tests"): the
 * one place a test reads CI. Returns the reason to skip elsewhere, or undefined when the service is there.
 */
export function skipUnlessCi(service: string, problem: string | undefined): string | undefined {
  if (problem && process.env['CI'] === 'true') throw new Error(`${service} is required with CI=true: ${problem}`);
  return problem;
}
