const preset = require('./jest.preset');

/** Integration tests: real services, one PostgreSQL server per run (tools/jest/integration-setup.ts). */
module.exports = {
  ...preset,
  testMatch: ['<rootDir>/src/**/*.integration-spec.ts'],
  globalSetup: '<rootDir>/../../tools/jest/integration-setup.ts',
  globalTeardown: '<rootDir>/../../tools/jest/integration-teardown.ts',
  testTimeout: 60_000,
};
