export default {
  displayName: 'testing:integration',
  preset: '../../jest.integration.preset.js',
};
