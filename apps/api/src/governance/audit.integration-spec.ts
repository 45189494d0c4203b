import { get as httpGet } from 'node:http';
import type { ApiComponents } from '@aegis/contracts';
import { AuditEntryEntity } from '@aegis/database';
import { AuditLog, AuditRepository, GENESIS_HASH, hashAuditEntry } from '@aegis/governance';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { RedteamServer, RedteamUser } from '../redteam/redteam-server';
import { errorOf, requestRecordRun, startCockpitServer } from '../testing/cockpit-server';
import { cookieHeader } from '../testing/http-session';

// The admin cockpit's audit, server side (issue 12), against the whole API on a loopback port and a
// real PostgreSQL: filters and paging, the streamed export, and verify in words. The approvals side
// is approvals.integration-spec.ts.

type Schemas = ApiComponents['schemas'];
type AuditPage = Schemas['AuditPageDto'];
type AuditItem = AuditPage['items'][number];

/** The advisory lock AuditLog appends under (libs/governance audit.repository.ts). */
const CHAIN_LOCK = 7_411_001;

describe('audit for the admin cockpit', () => {
  let server: RedteamServer;
  let dataSource: DataSource;

  const audit = async (query: string): Promise<AuditPage> =>
    (await server.as('root').get(`/api/audit?${query}`).expect(200)).body as AuditPage;
  const requestCritical = (who: RedteamUser, marker: string): Promise<string> => requestRecordRun(server, who, marker);
  /** A raw GET that reports each chunk as it arrived (supertest buffers the body). */
  const download = (path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; chunks: Buffer[] }> =>
    new Promise((resolve, reject) => {
      const call = httpGet(`${server.baseUrl}${path}`, { headers: { Cookie: cookieHeader(server.sessions.root) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, chunks }));
        response.on('error', reject);
      });
      call.on('error', reject);
    });

  beforeAll(async () => {
    server = await startCockpitServer();
    dataSource = server.app.get(DataSource);
    // Requests for the filters to find: CRITICAL tool calls of opal, pending an approval.
    for (const marker of ['audit-1', 'audit-2', 'audit-3']) await requestCritical('opal', marker);
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('GET /api/audit', () => {
    it('filters by actor, action, class, decision and dates, and pages with a cursor', async () => {
      const since = new Date(Date.now() - 60_000).toISOString();
      const mine = await audit(`actor=opal&action=tool.*&class=CRITICAL&decision=pending&from=${since}&limit=2`);
      expect(mine.items).toHaveLength(2);
      for (const entry of mine.items)
        expect(entry).toMatchObject({ actorName: 'opal', action: 'tool.execute_command', actionClass: 'CRITICAL', decision: 'pending' });
      expect(mine.nextCursor).not.toBeNull();
      const older = await audit(`actor=opal&action=tool.*&class=CRITICAL&decision=pending&from=${since}&limit=2&cursor=${mine.nextCursor}`);
      expect(Number(older.items[0].id)).toBeLessThan(Number(mine.items[1].id));
      // Everything the row view needs is there.
      expect(Object.keys(mine.items[0]).sort()).toEqual(
        [
          'action',
          'actionClass',
          'actorId',
          'actorName',
          'actorType',
          'args',
          'createdAt',
          'decision',
          'hash',
          'id',
          'ip',
          'prevHash',
          'reason',
          'result',
          'role',
          'runId',
          'userAgent',
        ].sort(),
      );
      expect((await audit('actor=opal&to=2000-01-01T00:00:00Z')).items).toEqual([]);
      expect(errorOf(await server.as('root').get('/api/audit?from=yesterday').expect(400)).code).toBe('VALIDATION_FAILED');
      expect(errorOf(await server.as('root').get('/api/audit?class=HUGE').expect(400)).code).toBe('VALIDATION_FAILED');
      for (const path of ['/api/audit', '/api/audit/verify', '/api/audit/export?format=csv']) await server.as('opal').get(path).expect(403);
    });
  });

  describe('GET /api/audit/export', () => {
    it('streams NDJSON and CSV (escaped, formulas defused, secrets still redacted) and audits the export', async () => {
      const log = server.app.get(AuditLog);
      await log.append({
        actor: { type: 'user', id: 'tester', name: 'tester', role: 'admin' },
        action: 'test.escaping',
        actionClass: 'READ',
        decision: 'allowed',
        reason: '=HYPERLINK("http://evil.example","click"), then "quotes"\nand a new line',
        args: { password: 'hunter2-must-not-leak', note: '+1 for commas, and -2', nested: { apiKey: 'sk-live-never' } },
      });

      const ndjson = await download('/api/audit/export?format=ndjson&action=test.escaping');
      const ndjsonText = Buffer.concat(ndjson.chunks).toString('utf8');
      expect(ndjson.status).toBe(200);
      expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      expect(ndjson.headers['content-disposition']).toMatch(/^attachment; filename="aegis-audit-beginning-\d{4}-\d\d-\d\d\.ndjson"$/);
      const lines = ndjsonText.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      const entry = JSON.parse(lines[0]) as AuditItem;
      expect(entry).toMatchObject({
        action: 'test.escaping',
        args: { password: '[redacted]', nested: { apiKey: '[redacted]' } },
        hash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      });
      expect(ndjsonText).not.toContain('hunter2');

      const csv = await download('/api/audit/export?format=csv&action=test.escaping&from=2026-01-01T00:00:00Z&to=2099-12-31T00:00:00Z');
      const csvText = Buffer.concat(csv.chunks).toString('utf8');
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe('attachment; filename="aegis-audit-2026-01-01-2099-12-31.csv"');
      expect(
        csvText.startsWith(
          'id,createdAt,actorType,actorId,actorName,role,runId,action,actionClass,decision,reason,args,result,ip,userAgent,prevHash,hash\r\n',
        ),
      ).toBe(true);
      expect(csvText).toContain(`,"'=HYPERLINK(""http://evil.example"",""click""), then ""quotes""\nand a new line",`);
      expect(csvText).toContain('""password"":""[redacted]""');
      expect(csvText).toContain('""note"":""+1 for commas, and -2""');
      expect(csvText).not.toContain('hunter2');
      expect(csvText).not.toContain('sk-live-never');
      // The header and one entry (whose reason holds a line break inside its quotes).
      expect(csvText.split('\r\n').filter(Boolean)).toHaveLength(2);

      const [exported] = (await audit('action=audit.export&limit=1')).items;
      expect(exported).toMatchObject({
        actorName: 'root',
        decision: 'allowed',
        args: { format: 'csv', action: 'test.escaping', from: '2026-01-01T00:00:00.000Z', to: '2099-12-31T00:00:00.000Z' },
      });

      expect(errorOf(await server.as('root').get('/api/audit/export?format=xlsx').expect(400)).code).toBe('VALIDATION_FAILED');
      expect(errorOf(await server.as('root').get('/api/audit/export').expect(400)).code).toBe('VALIDATION_FAILED');
      await server.as('root').get('/api/audit/export?format=csv&limit=5').expect(400);
    });

    it('streams 5,000 entries a batch at a time, never all at once', async () => {
      // Appended the way AuditLog does, in bulk: under its lock, each linked to the one before.
      await dataSource.transaction(async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
        const [last] = await manager.query<{ hash: string }[]>('SELECT hash FROM audit_entries ORDER BY id DESC LIMIT 1');
        let prevHash = last?.hash ?? GENESIS_HASH;
        const rows: QueryDeepPartialEntity<AuditEntryEntity>[] = [];
        for (let index = 0; index < 5000; index += 1) {
          const fields = {
            createdAt: new Date(),
            actorType: 'system' as const,
            actorId: null,
            actorName: null,
            role: null,
            runId: null,
            action: 'test.bulk',
            actionClass: 'READ',
            decision: 'allowed',
            reason: `bulk entry ${index}, padded so the export is a few megabytes ${'x'.repeat(200)}`,
            args: { index },
            result: null,
            ip: null,
            userAgent: null,
          };
          const hash = hashAuditEntry(prevHash, fields);
          rows.push({ ...fields, prevHash, hash });
          prevHash = hash;
        }
        for (let start = 0; start < rows.length; start += 1000)
          await manager.getRepository(AuditEntryEntity).insert(rows.slice(start, start + 1000));
      });

      const queries = server.app.get(AuditRepository);
      const reads = jest.spyOn(queries, 'list');
      try {
        const { status, headers, chunks } = await download('/api/audit/export?format=ndjson&action=test.bulk');
        expect(status).toBe(200);
        expect(headers['transfer-encoding']).toBe('chunked');
        const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean);
        expect(lines).toHaveLength(5000);
        expect((JSON.parse(lines[0]) as AuditItem).args).toEqual({ index: 4999 });
        expect((JSON.parse(lines[4999]) as AuditItem).args).toEqual({ index: 0 });
        expect(chunks.length).toBeGreaterThan(5);
        // 500 entries per query: ten batches, each read when the previous one had gone out.
        expect(reads.mock.calls.length).toBeGreaterThanOrEqual(10);
        expect(reads.mock.calls.every(([filter]) => filter.limit === 500)).toBe(true);

        const csv = await download('/api/audit/export?format=csv&action=test.bulk');
        expect(Buffer.concat(csv.chunks).toString('utf8').split('\r\n').filter(Boolean)).toHaveLength(5001);
      } finally {
        reads.mockRestore();
      }
      // The bulk entries joined the chain correctly.
      expect((await server.as('root').get('/api/audit/verify').expect(200)).body).toMatchObject({ valid: true, firstBroken: null });
    });
  });

  describe('GET /api/audit/verify', () => {
    it('says the chain is intact, then names the first entry changed in the database, and why', async () => {
      const intact = (await server.as('root').get('/api/audit/verify').expect(200)).body as Schemas['ChainVerificationDto'];
      expect(intact).toMatchObject({ valid: true, firstBrokenId: null, firstBroken: null });
      expect(intact.message).toBe(`The chain is intact: ${intact.checked} entries match their hashes and links`);

      const [target] = (await audit('action=test.escaping&limit=1')).items;
      const [position] = await dataSource.query<{ count: string }[]>('SELECT count(*) FROM audit_entries WHERE id <= $1', [target.id]);
      await dataSource.query('ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change');
      try {
        await dataSource.query(`UPDATE audit_entries SET decision = 'refused' WHERE id = $1`, [target.id]);
        const broken = (await server.as('root').get('/api/audit/verify').expect(200)).body as Schemas['ChainVerificationDto'];
        expect(broken).toMatchObject({
          valid: false,
          firstBrokenId: target.id,
          checked: Number(position.count) - 1,
          firstBroken: {
            id: target.id,
            position: Number(position.count),
            createdAt: target.createdAt,
            reason: 'its content no longer matches its hash: the entry was changed after it was written',
          },
        });
        expect(broken.message).toBe(
          `The chain is broken at entry ${target.id} (position ${position.count}, written ${target.createdAt}): its content no longer matches its hash: the entry was changed after it was written`,
        );
      } finally {
        await dataSource.query(`UPDATE audit_entries SET decision = 'allowed' WHERE id = $1`, [target.id]);
        await dataSource.query('ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change');
      }
      expect((await server.as('root').get('/api/audit/verify').expect(200)).body).toMatchObject({ valid: true });
    });
  });
});
