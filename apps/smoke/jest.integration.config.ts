export default {
  displayName: 'smoke:integration',
  preset: '../../jest.integration.preset.js',
};
