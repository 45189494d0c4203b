import { createDataSourceOptions } from '@aegis/database';
import { createTestDatabase } from '@aegis/testing';
import { DataSource } from 'typeorm';
import { GENESIS_HASH } from './audit-hash';
import { AuditLog } from './audit-log';
import { AuditRepository } from './audit.repository';
import { GovernanceExceptionCode } from '../governance.exception';

interface ChainRow {
  id: string;
  actor_id: string;
  prev_hash: string;
  hash: string;
}

describe('AuditLog group commit on PostgreSQL', () => {
  let url: string;
  let instances: DataSource[];

  async function instance(): Promise<{ audit: AuditLog; repository: AuditRepository }> {
    const dataSource = await new DataSource(createDataSourceOptions({ url, embedded: false })).initialize();
    instances.push(dataSource);
    const repository = new AuditRepository(dataSource);
    return { audit: new AuditLog(repository), repository };
  }

  beforeEach(async () => {
    url = await createTestDatabase();
    instances = [];
  });
  afterEach(() => Promise.all(instances.map((dataSource) => dataSource.destroy())));

  it('writes 500 concurrent appends of two API instances as one valid chain, each entry once, in the order of its id', async () => {
    const [first, second] = [await instance(), await instance()];
    const batches = [jest.spyOn(first.repository, 'appendToChain'), jest.spyOn(second.repository, 'appendToChain')];
    const entries = await Promise.all(
      Array.from({ length: 500 }, (_, index) =>
        (index % 2 === 0 ? first : second).audit.append({
          actor: { type: 'user', id: `u${index}` },
          action: 'tool.list_directory',
          decision: 'allowed',
          args: { index },
        }),
      ),
    );
    const rows = await instances[0].query<ChainRow[]>('SELECT id, actor_id, prev_hash, hash FROM audit_entries ORDER BY id');
    expect(rows).toHaveLength(500);
    expect(new Set(rows.map((row) => row.actor_id)).size).toBe(500);
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    rows.slice(1).forEach((row, index) => expect(row.prev_hash).toBe(rows[index].hash));
    // Each caller got its own entry, as stored.
    const stored = new Map(rows.map((row) => [row.id, row]));
    entries.forEach((entry, index) => {
      expect(stored.get(entry.id)).toEqual({ id: entry.id, actor_id: `u${index}`, prev_hash: entry.prevHash, hash: entry.hash });
    });
    // Far fewer transactions than appends: they were grouped.
    expect(batches[0].mock.calls.length + batches[1].mock.calls.length).toBeLessThan(100);
    await expect(first.audit.verify(64)).resolves.toMatchObject({ valid: true, checked: 500 });
  });

  it('rejects every caller of a failing batch, writes none of it and keeps the chain valid', async () => {
    const { audit } = await instance();
    const written = audit.append({ actor: { type: 'system' }, action: 'auth.other', decision: 'allowed' });
    // These three arrive while the first is written, so they form the next batch; the middle one cannot be stored.
    const batch = [
      audit.append({ actor: { type: 'system' }, action: 'auth.before', decision: 'allowed' }),
      audit.append({ actor: { type: 'system' }, action: 'x'.repeat(200), decision: 'allowed' }),
      audit.append({ actor: { type: 'system' }, action: 'auth.after', decision: 'allowed' }),
    ];
    await expect(written).resolves.toMatchObject({ action: 'auth.other', prevHash: GENESIS_HASH });
    const settled = await Promise.allSettled(batch);
    for (const outcome of settled) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: GovernanceExceptionCode.AuditUnavailable } });
    }
    await expect(instances[0].query('SELECT action FROM audit_entries ORDER BY id')).resolves.toEqual([{ action: 'auth.other' }]);
    const next = await audit.append({ actor: { type: 'system' }, action: 'auth.next', decision: 'allowed' });
    expect(next.prevHash).toBe((await written).hash);
    await expect(audit.verify()).resolves.toMatchObject({ valid: true, checked: 2 });
  });
});
