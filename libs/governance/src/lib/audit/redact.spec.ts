import { redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('blanks secret-looking fields at any depth and keeps the rest', () => {
    expect(
      redactSecrets({
        username: 'alice',
        password: 'hunter2',
        nested: { refreshToken: 'rt', apiKey: 'k', note: 'fine' },
        list: [{ authorization: 'Bearer x', path: '/etc' }],
      }),
    ).toEqual({
      username: 'alice',
      password: '[redacted]',
      nested: { refreshToken: '[redacted]', apiKey: '[redacted]', note: 'fine' },
      list: [{ authorization: '[redacted]', path: '/etc' }],
    });
  });
});
