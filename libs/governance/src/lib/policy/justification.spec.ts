import { justificationProblems } from './justification';

describe('justificationProblems', () => {
  it.each([
    'Restore the nginx config after the failed deploy',
    'Ticket OPS-123: rotate the TLS certificate today',
    '  Install curl for the health probe of the API  ',
    'Обновить конфигурацию после сбоя развёртывания',
  ])('accepts a sentence: %j', (text) => {
    expect(justificationProblems(text)).toEqual([]);
  });

  it('requires one', () => {
    expect(justificationProblems(undefined)).toEqual(['a justification is required: say in a sentence why this action is needed']);
    expect(justificationProblems('   \n ')).toEqual(['a justification is required: say in a sentence why this action is needed']);
  });

  it('refuses too short or too few words, one line per problem', () => {
    expect(justificationProblems('fix it')).toEqual([
      'justification must be at least 20 characters (got 6)',
      'justification must have at least 3 words (got 2)',
    ]);
    expect(justificationProblems('fix the thing now')).toEqual(['justification must be at least 20 characters (got 17)']);
    expect(justificationProblems('aaaaaaaaaaaaaaaaaaaaaaaaa')).toEqual(['justification must have at least 3 words (got 1)']);
    expect(justificationProblems('because!!!!!!!!!!!! ??????????????? ....')).toEqual(['justification must have at least 3 words (got 1)']);
  });

  it('counts the trimmed text and caps its length', () => {
    expect(justificationProblems(`   ${'ab '.repeat(6)}   `)).toEqual(['justification must be at least 20 characters (got 17)']);
    expect(justificationProblems('word '.repeat(401))).toEqual(['justification must be at most 2000 characters (got 2004)']);
  });
});
