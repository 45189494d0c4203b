export default {
  displayName: 'governance:integration',
  preset: '../../jest.integration.preset.js',
};
