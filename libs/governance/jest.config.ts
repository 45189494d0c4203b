export default {
  displayName: 'governance',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/governance',
};
