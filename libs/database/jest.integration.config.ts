export default {
  displayName: 'database:integration',
  preset: '../../jest.integration.preset.js',
};
