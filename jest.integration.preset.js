const path = require('node:path');
const preset = require('./jest.preset');

/** Integration tests: real services, one PostgreSQL server per run (tools/jest/integration-setup.ts). */
module.exports = {
  ...preset,
  testMatch: ['<rootDir>/src/**/*.integration-spec.ts'],
  globalSetup: path.join(__dirname, 'tools/jest/integration-setup.ts'),
  globalTeardown: path.join(__dirname, 'tools/jest/integration-teardown.ts'),
  testTimeout: 60_000,
};
