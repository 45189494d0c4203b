export default {
  displayName: 'api:integration',
  preset: '../../jest.integration.preset.js',
  // The red-team suite (src/redteam) attacks the real server like the integration tests do.
  testMatch: ['<rootDir>/src/**/*.integration-spec.ts', '<rootDir>/src/**/*.redteam-spec.ts'],
};
