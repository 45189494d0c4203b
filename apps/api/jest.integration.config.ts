export default {
  displayName: 'api:integration',
  preset: '../../jest.integration.preset.js',
};
