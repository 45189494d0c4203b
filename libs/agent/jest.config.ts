export default {
  displayName: 'agent',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/agent',
};
