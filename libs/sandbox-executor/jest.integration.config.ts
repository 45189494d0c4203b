export default {
  displayName: 'sandbox-executor:integration',
  preset: '../../jest.integration.preset.js',
};
