import { Writable } from 'node:stream';
import { Role } from '@aegis/contracts';
import type { AuditEntryEntity } from '@aegis/database';
import type { AuditLog, AuditRepository, Caller } from '@aegis/governance';
import type { Response } from 'express';
import { AuditExport, CSV_COLUMNS, csvCell, csvRow, exportFileName } from './audit-export';

describe('the audit export format', () => {
  it('writes RFC 4180 fields: quotes doubled, fields with commas, quotes or line breaks quoted', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('carriage\rreturn')).toBe('"carriage\rreturn"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(new Date('2026-11-29T10:00:00.000Z'))).toBe('2026-11-29T10:00:00.000Z');
    expect(csvCell({ command: 'ls, -la' })).toBe('"{""command"":""ls, -la""}"');
    expect(csvRow(['a', 'b,c', null])).toBe('a,"b,c",\r\n');
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\tTAB', "'\tTAB"],
    ['=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
  ])('defuses a cell a spreadsheet would read as a formula: %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('names the file after the range, open ends said as such', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    expect(exportFileName({}, 'csv', now)).toBe('aegis-audit-beginning-2026-11-29.csv');
    expect(exportFileName({ from: new Date('2026-11-01T08:00:00Z'), to: new Date('2026-11-15T23:59:59Z') }, 'ndjson', now)).toBe(
      'aegis-audit-2026-11-01-2026-11-15.ndjson',
    );
  });
});

describe('AuditExport', () => {
  const caller: Caller = { actor: { type: 'user', id: 'u1', name: 'ada' }, userId: 'u1', role: Role.Admin };
  const entry = (id: number) => ({ id: String(id), createdAt: new Date(0), args: {}, result: null }) as unknown as AuditEntryEntity;

  /** A response that takes a chunk only when the test says so, like a slow client. */
  class SlowResponse extends Writable {
    readonly headers: Record<string, string> = {};
    readonly received: string[] = [];
    private pending: (() => void)[] = [];
    statusCode = 0;
    headersSent = false;
    constructor() {
      super({ highWaterMark: 1, objectMode: true });
    }
    status(code: number): this {
      this.statusCode = code;
      return this;
    }
    setHeader(name: string, value: string): void {
      this.headers[name] = value;
    }
    override _write(chunk: string, _encoding: string, callback: () => void): void {
      this.headersSent = true;
      this.received.push(chunk);
      this.pending.push(callback);
    }
    /** Lets the oldest written chunk go. */
    take(): void {
      this.pending.shift()?.();
    }
  }

  function exporterWith(batches: AuditEntryEntity[][], failAfter?: number) {
    let read = 0;
    const queries = {
      async *batches() {
        for (const batch of batches) {
          if (failAfter !== undefined && read === failAfter) throw new Error('database went away');
          read += 1;
          yield await Promise.resolve(batch);
        }
      },
    } as unknown as AuditRepository;
    const append = jest.fn(() => Promise.resolve());
    return { exporter: new AuditExport(queries, { append } as unknown as AuditLog), append, reads: () => read };
  }

  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('reads the next batch only when the client has taken the last one, audits first, and allows one export at a time per user', async () => {
    const { exporter, append, reads } = exporterWith([[entry(3)], [entry(2)], [entry(1)]]);
    const response = new SlowResponse();
    const done = exporter.send(caller, { action: 'tool.*' }, 'ndjson', response as unknown as Response);
    for (let index = 0; index < 5; index += 1) await tick();
    expect(append).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'audit.export', decision: 'allowed', args: { format: 'ndjson', action: 'tool.*' } }),
    );
    expect(response.headers['Content-Disposition']).toMatch(/^attachment; filename="aegis-audit-beginning-\d{4}-\d\d-\d\d\.ndjson"$/);
    // One chunk at the client, at most one more waiting: the third batch is not read yet.
    expect(reads()).toBeLessThanOrEqual(2);
    await expect(exporter.send(caller, {}, 'csv', new SlowResponse() as unknown as Response)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    for (let index = 0; index < 6; index += 1) {
      response.take();
      await tick();
    }
    await done;
    expect(reads()).toBe(3);
    expect(
      response.received
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { id: string }).id),
    ).toEqual(['3', '2', '1']);
    // Finished: the next export may start.
    const next = new SlowResponse();
    const again = exporter.send(caller, {}, 'csv', next as unknown as Response);
    for (let index = 0; index < 10; index += 1) {
      next.take();
      await tick();
    }
    await again;
    expect(next.received[0]).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });

  it('cuts the download short when the database fails mid-stream', async () => {
    const { exporter } = exporterWith([[entry(2)], [entry(1)]], 1);
    const response = new SlowResponse();
    const done = exporter.send(caller, {}, 'ndjson', response as unknown as Response);
    for (let index = 0; index < 6; index += 1) {
      response.take();
      await tick();
    }
    await done;
    expect(response.destroyed).toBe(true);
    expect(response.received).toHaveLength(1);
  });
});
