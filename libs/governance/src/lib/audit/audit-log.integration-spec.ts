import { createDataSourceOptions } from '@aegis/database';
import { createTestDatabase } from '@aegis/testing';
import { DataSource } from 'typeorm';
import { GENESIS_HASH } from './audit-hash';
import { AuditLog } from './audit-log';
import { AuditRepository } from './audit.repository';

describe('AuditLog on PostgreSQL', () => {
  let dataSource: DataSource;
  let audit: AuditLog;

  beforeEach(async () => {
    dataSource = await new DataSource(createDataSourceOptions({ url: await createTestDatabase(), embedded: false })).initialize();
    audit = new AuditLog(new AuditRepository(dataSource));
  });

  afterEach(() => dataSource.destroy());

  it('links every entry to the previous one, also under concurrent appends', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        audit.append({ actor: { type: 'user', id: `u${index}`, name: 'alice' }, action: 'auth.login', decision: 'allowed' }),
      ),
    );
    const rows = await dataSource.query<{ prev_hash: string; hash: string }[]>('SELECT prev_hash, hash FROM audit_entries ORDER BY id');
    expect(rows).toHaveLength(20);
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    rows.slice(1).forEach((row, index) => expect(row.prev_hash).toBe(rows[index].hash));
    await expect(audit.verify(7)).resolves.toMatchObject({ valid: true, checked: 20, firstBrokenId: null, firstBroken: null });
  });

  it('stores no secret and finds the first changed or removed entry', async () => {
    const first = await audit.append({
      actor: { type: 'anonymous' },
      action: 'auth.login.failed',
      decision: 'refused',
      args: { username: 'bob', password: 'hunter2' },
    });
    const second = await audit.append({ actor: { type: 'system' }, action: 'auth.admin.created', decision: 'allowed' });
    await audit.append({ actor: { type: 'system' }, action: 'auth.other', decision: 'allowed' });
    expect(JSON.stringify(await dataSource.query('SELECT * FROM audit_entries'))).not.toContain('hunter2');

    // An attacker with the owner's rights first turns off the append-only trigger; the chain still tells.
    await dataSource.query('ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change');
    await dataSource.query(`UPDATE audit_entries SET decision = 'allowed' WHERE id = $1`, [first.id]);
    await expect(audit.verify()).resolves.toEqual({
      valid: false,
      checked: 0,
      firstBrokenId: first.id,
      firstBroken: {
        id: first.id,
        position: 1,
        createdAt: first.createdAt,
        reason: expect.stringContaining('its content no longer matches its hash') as unknown,
      },
      message: expect.stringMatching(
        new RegExp(`^The chain is broken at entry ${first.id} \\(position 1, written .+\\): its content no longer matches its hash`),
      ) as unknown,
    });

    await dataSource.query(`UPDATE audit_entries SET decision = 'refused' WHERE id = $1`, [first.id]);
    await dataSource.query(`DELETE FROM audit_entries WHERE id = $1`, [second.id]);
    const result = await audit.verify();
    expect(result.valid).toBe(false);
    expect(result.checked).toBe(1);
    // The entry after the removed one no longer links to the one before it.
    expect(result.firstBroken).toMatchObject({
      position: 2,
      reason: expect.stringContaining('its prev_hash is not the hash of the entry before it') as unknown,
    });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit table, even for its owner', async () => {
    const entry = await audit.append({ actor: { type: 'system' }, action: 'auth.other', decision: 'allowed' });
    await expect(dataSource.query(`UPDATE audit_entries SET reason = 'x' WHERE id = $1`, [entry.id])).rejects.toThrow(
      'audit_entries is append-only: UPDATE is refused',
    );
    await expect(dataSource.query(`DELETE FROM audit_entries WHERE id = $1`, [entry.id])).rejects.toThrow(
      'audit_entries is append-only: DELETE is refused',
    );
    await expect(dataSource.query('TRUNCATE audit_entries')).rejects.toThrow('audit_entries is append-only: TRUNCATE is refused');
    await expect(audit.verify()).resolves.toEqual({
      valid: true,
      checked: 1,
      firstBrokenId: null,
      firstBroken: null,
      message: 'The chain is intact: 1 entry matches its hash and link',
    });
  });
});
