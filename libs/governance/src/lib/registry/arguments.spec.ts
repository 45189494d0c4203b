import { argsSha256, auditArgs } from './arguments';

describe('tool arguments', () => {
  it('hash the same whatever the key order, and differently for any change', () => {
    expect(argsSha256({ b: 1, a: { y: [1, 2], x: 'z' } })).toBe(argsSha256({ a: { x: 'z', y: [1, 2] }, b: 1 }));
    expect(argsSha256({ packages: ['curl'] })).not.toBe(argsSha256({ packages: ['curl', 'wget'] }));
    expect(argsSha256({})).toMatch(/^[0-9a-f]{64}$/);
  });

  it('are audited with secrets redacted and long strings shortened', () => {
    const audited = auditArgs({ path: 'a.txt', content: 'x'.repeat(5000), nested: { apiKey: 'k' } });
    expect(audited['path']).toBe('a.txt');
    expect(audited['nested']).toEqual({ apiKey: '[redacted]' });
    expect(audited['content']).toBe(`${'x'.repeat(1024)}… [5000 characters in all]`);
    expect(auditArgs('scalar')).toEqual({ value: 'scalar' });
  });
});
