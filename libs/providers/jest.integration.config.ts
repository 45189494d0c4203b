export default {
  displayName: 'providers:integration',
  preset: '../../jest.integration.preset.js',
};
