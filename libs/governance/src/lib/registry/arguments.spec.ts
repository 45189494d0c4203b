import { createHash } from 'node:crypto';
import { argsSha256, auditArgs } from './arguments';

describe('tool arguments', () => {
  it('hash the same whatever the key order, and differently for any change', () => {
    expect(argsSha256({ b: 1, a: { y: [1, 2], x: 'z' } })).toBe(argsSha256({ a: { x: 'z', y: [1, 2] }, b: 1 }));
    expect(argsSha256({ packages: ['curl'] })).not.toBe(argsSha256({ packages: ['curl', 'wget'] }));
    expect(argsSha256({})).toMatch(/^[0-9a-f]{64}$/);
  });

  it('are audited whole, with secrets redacted and content fields kept as sha256 and size', () => {
    const command = `echo ${'padding '.repeat(400)}the-real-end`;
    expect(auditArgs({ command })).toEqual({ command });
    const audited = auditArgs({ path: 'a.txt', content: 'token=é', nested: { apiKey: 'k' } }, ['content']);
    expect(audited['path']).toBe('a.txt');
    expect(audited['nested']).toEqual({ apiKey: '[redacted]' });
    expect(audited['content']).toEqual({ sha256: createHash('sha256').update('token=é').digest('hex'), bytes: 8 });
    expect(JSON.stringify(audited)).not.toContain('token=');
    expect(auditArgs('scalar')).toEqual({ value: 'scalar' });
  });
});
