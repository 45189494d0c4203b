import { canonicalJson, GENESIS_HASH, hashAuditEntry, type HashedAuditFields } from './audit-hash';

const fields: HashedAuditFields = {
  createdAt: new Date('2026-11-21T20:00:00.000Z'),
  actorType: 'user',
  actorId: 'u1',
  actorName: 'alice',
  role: 'admin',
  runId: null,
  action: 'auth.login',
  actionClass: null,
  decision: 'allowed',
  reason: null,
  args: { b: 1, a: { y: 2, x: 1 } },
  result: null,
  ip: '127.0.0.1',
  userAgent: 'test',
};

describe('audit hashing', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { y: 2, x: 1 } })).toBe('{"a":{"x":1,"y":2},"b":1}');
    expect(hashAuditEntry(GENESIS_HASH, fields)).toBe(hashAuditEntry(GENESIS_HASH, { ...fields, args: { a: { x: 1, y: 2 }, b: 1 } }));
  });

  it('changes when any field or the previous hash changes', () => {
    const base = hashAuditEntry(GENESIS_HASH, fields);
    expect(hashAuditEntry(GENESIS_HASH, { ...fields, decision: 'refused' })).not.toBe(base);
    expect(hashAuditEntry(GENESIS_HASH, { ...fields, createdAt: new Date('2026-11-21T20:00:00.001Z') })).not.toBe(base);
    expect(hashAuditEntry('f'.repeat(64), fields)).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});
