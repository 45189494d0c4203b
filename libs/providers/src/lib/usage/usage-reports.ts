import { AegisError, ErrorCode } from '@aegis/contracts';
import { Injectable } from '@nestjs/common';
import { BatchedUsageStore } from './batched-usage-store';
import { utcDay } from './usage-store';
import { type UsageDimension, type UsageReportQuery, type UsageReportRow, UsageRepository, type UsageTotals } from './usage.repository';

/** Errors of usage queries; the message is shown to the client. */
export class UsageException extends AegisError {}

export const USAGE_MAX_RANGE_DAYS = 366;
export const USAGE_DEFAULT_RANGE_DAYS = 30;
export const USAGE_DEFAULT_GROUP_BY: UsageDimension[] = ['day', 'user', 'provider'];

export type UsageReportRequest = Partial<Omit<UsageReportQuery, 'limit'>> & { limit: number };

export interface UsageReport {
  from: string;
  to: string;
  groupBy: UsageDimension[];
  items: UsageReportRow[];
  totals: UsageTotals;
  /** More groups matched than `limit`; narrow the filters or raise the limit. */
  truncated: boolean;
}

const DAY_MS = 86_400_000;

/** GET /api/usage: totals over a bounded range of days, grouped and filtered as asked. */
@Injectable()
export class UsageReports {
  constructor(
    private readonly repository: UsageRepository,
    private readonly writes: BatchedUsageStore,
  ) {}

  async report(request: UsageReportRequest, now = new Date()): Promise<UsageReport> {
    const to = request.to ?? utcDay(now);
    const from = request.from ?? utcDay(new Date(Date.parse(`${to}T00:00:00Z`) - (USAGE_DEFAULT_RANGE_DAYS - 1) * DAY_MS));
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
    if (days < 1) throw new UsageException(ErrorCode.ValidationFailed, 'from must not be after to');
    if (days > USAGE_MAX_RANGE_DAYS)
      throw new UsageException(ErrorCode.ValidationFailed, `the range may span at most ${USAGE_MAX_RANGE_DAYS} days`);
    const groupBy = request.groupBy && request.groupBy.length > 0 ? [...new Set(request.groupBy)] : USAGE_DEFAULT_GROUP_BY;
    await this.writes.flush(); // this instance's queued usage is counted (other instances' within their flush interval)
    const result = await this.repository.report({ ...request, from, to, groupBy, limit: request.limit });
    return { from, to, groupBy, ...result };
  }
}
