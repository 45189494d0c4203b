export default {
  displayName: 'auth',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/auth',
};
