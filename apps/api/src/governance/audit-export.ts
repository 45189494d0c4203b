import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AegisError, ErrorCode } from '@aegis/contracts';
import type { AuditEntryEntity } from '@aegis/database';
import { AuditLog, AuditRepository, auditedActor, type AuditFilter, type Caller } from '@aegis/governance';
import { Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { AuditEntryDto, AuditExportFormat } from './audit.dto';

/** The audit filter without paging: the export reads every matching entry. */
export type AuditExportFilter = Omit<AuditFilter, 'cursor' | 'limit'>;

/** One entry as GET /api/audit and the export show it: every stored field (secrets were redacted when it was written). */
export function auditEntryView(entry: AuditEntryEntity): AuditEntryDto {
  return {
    id: entry.id,
    createdAt: entry.createdAt,
    actorType: entry.actorType,
    actorId: entry.actorId,
    actorName: entry.actorName,
    role: entry.role,
    runId: entry.runId,
    action: entry.action,
    actionClass: entry.actionClass,
    decision: entry.decision,
    reason: entry.reason,
    args: entry.args,
    result: entry.result,
    ip: entry.ip,
    userAgent: entry.userAgent,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

export const CSV_COLUMNS = [
  'id',
  'createdAt',
  'actorType',
  'actorId',
  'actorName',
  'role',
  'runId',
  'action',
  'actionClass',
  'decision',
  'reason',
  'args',
  'result',
  'ip',
  'userAgent',
  'prevHash',
  'hash',
] as const satisfies readonly (keyof AuditEntryDto)[];

/** Characters that make a spreadsheet read a cell as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 field: a leading formula character is defused with `'`, and quotes, commas and line breaks are quoted. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : JSON.stringify(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `aegis-audit-<from>-<to>.<ext>`: the range's UTC days, `beginning` when open at the start, today when open at the end. */
export function exportFileName(filter: AuditExportFilter, format: AuditExportFormat, now = new Date()): string {
  return `aegis-audit-${filter.from ? day(filter.from) : 'beginning'}-${day(filter.to ?? now)}.${format}`;
}

const CONTENT_TYPES: Record<AuditExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/**
 * GET /api/audit/export: the filtered chain as a download, newest first, streamed a batch at a time
 * with the socket's backpressure (docs/governance.md "Audit"). Each export is itself audited first.
 */
@Injectable()
export class AuditExport {
  private readonly logger = new Logger(AuditExport.name);
  /** Users with an export under way: one at a time each, since an export reads the whole table. */
  private readonly exporting = new Set<string>();

  constructor(
    private readonly queries: AuditRepository,
    private readonly audit: AuditLog,
  ) {}

  async send(caller: Caller, filter: AuditExportFilter, format: AuditExportFormat, response: Response): Promise<void> {
    if (this.exporting.has(caller.userId)) {
      throw new AegisError(
        ErrorCode.RateLimited,
        'An export of yours is still running; wait for it to finish before starting another',
        undefined,
        5,
      );
    }
    this.exporting.add(caller.userId);
    try {
      await this.audit.append({
        actor: auditedActor(caller),
        action: 'audit.export',
        decision: 'allowed',
        args: { format, ...filter, from: filter.from?.toISOString(), to: filter.to?.toISOString() },
        ip: caller.ip,
        userAgent: caller.userAgent,
      });
      response.status(200);
      response.setHeader('Content-Type', CONTENT_TYPES[format]);
      response.setHeader('Content-Disposition', `attachment; filename="${exportFileName(filter, format)}"`);
      response.setHeader('Cache-Control', 'no-store');
      // One batch in flight: the next is read from the database only when the socket has taken this one.
      await pipeline(Readable.from(this.chunks(filter, format), { objectMode: true, highWaterMark: 1 }), response);
    } catch (error) {
      if (!response.headersSent) throw error;
      // The download is cut short (no final chunk), so the client sees an incomplete file rather than a silently short one.
      this.logger.warn({ err: error, format }, 'an audit export stopped before its end');
      response.destroy();
    } finally {
      this.exporting.delete(caller.userId);
    }
  }

  private async *chunks(filter: AuditExportFilter, format: AuditExportFormat): AsyncGenerator<string> {
    if (format === 'csv') yield csvRow(CSV_COLUMNS);
    for await (const batch of this.queries.batches(filter)) {
      const entries = batch.map(auditEntryView);
      yield format === 'csv'
        ? entries.map((entry) => csvRow(CSV_COLUMNS.map((column) => entry[column]))).join('')
        : entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
    }
  }
}
