import { findForbiddenSequence } from './forbidden-tokens';

describe('findForbiddenSequence', () => {
  it.each([
    ['ls; rm -rf /', ';'],
    ['true && reboot', '&&'],
    ['false || reboot', '||'],
    ['lscpu | head', '|'],
    ['echo `id`', '`'],
    ['echo $(id)', '$('],
    ['cat a > b', '>'],
    ['sort < a', '<'],
    ['ls\nreboot', '\n'],
    ['ls\0reboot', '\0'],
    ['a | b && c', '|'],
  ])('refuses %j (%j)', (command, sequence) => {
    expect(findForbiddenSequence(command)).toBe(sequence);
  });

  it.each(['ls -la /workspace', 'git log --oneline -n 5', 'df -h', 'echo $HOME'])('accepts %j', (command) => {
    expect(findForbiddenSequence(command)).toBeUndefined();
  });
});
