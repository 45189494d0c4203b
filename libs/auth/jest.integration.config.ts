export default {
  displayName: 'auth:integration',
  preset: '../../jest.integration.preset.js',
};
