export default {
  displayName: 'memory:integration',
  preset: '../../jest.integration.preset.js',
};
