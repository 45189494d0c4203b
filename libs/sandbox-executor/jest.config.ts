export default {
  displayName: 'sandbox-executor',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/sandbox-executor',
};
