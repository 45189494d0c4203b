import { isStorableText, storableText, unstorableTextProblems } from './storable-text';

describe('text PostgreSQL can store', () => {
  it('finds NUL characters and lone surrogates in strings and keys, at any depth, and names where', () => {
    expect(unstorableTextProblems({ path: 'a', content: 'a\u0000b' })).toEqual([
      'args.content contains a NUL character (\\u0000), which cannot be stored in the audit log',
    ]);
    expect(unstorableTextProblems({ list: ['ok', 'x\ud800'] })).toEqual([
      'args.list[1] contains a lone UTF-16 surrogate (\\ud800), which cannot be stored in the audit log',
    ]);
    expect(unstorableTextProblems({ 'k\udc00': 1 })).toHaveLength(1);
    expect(isStorableText({ emoji: '😀 ok', accents: 'é', n: 1, none: null })).toBe(true);
  });

  it('spells unstorable characters out as visible escapes and leaves everything else alone', () => {
    expect(storableText({ 'k\u0000': ['a\u0000b', 'x\ud800y', '😀'], n: 2 })).toEqual({
      'k\\u0000': ['a\\u0000b', 'x\\ud800y', '😀'],
      n: 2,
    });
    expect(isStorableText(storableText({ value: '\udfff\u0000' }))).toBe(true);
  });
});
