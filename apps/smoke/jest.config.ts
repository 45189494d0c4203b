export default {
  displayName: 'smoke',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/smoke',
};
