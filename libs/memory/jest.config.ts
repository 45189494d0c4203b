export default {
  displayName: 'memory',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/memory',
};
