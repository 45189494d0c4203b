import { passwordProblems } from './password-policy';

describe('passwordProblems', () => {
  it('accepts 12 characters or more that do not contain the username', () => {
    expect(passwordProblems('correct horse', 'alice')).toEqual([]);
    expect(passwordProblems('ÄÖÜäöüßéèêëà', 'bob')).toEqual([]);
  });

  it('lists every problem', () => {
    expect(passwordProblems('short', 'alice')).toEqual(['password must be at least 12 characters']);
    expect(passwordProblems('xxALICExx-long-enough', 'alice')).toEqual(['password must not contain the username']);
    expect(passwordProblems('a'.repeat(257), 'bob')).toEqual(['password must be at most 256 characters']);
  });
});
