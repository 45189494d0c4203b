import { ErrorCode, type ProviderName } from '@aegis/contracts';
import type { BudgetMode, BudgetPeriod, BudgetSettings } from '../provider-settings';
import { BudgetGuard } from './budget-guard';
import { USAGE_DEFAULT_RANGE_DAYS, USAGE_MAX_RANGE_DAYS, UsageException } from './usage-reports';
import { utcDay } from './usage-store';
import type { UsageDailyRow, UsageRepository, UsageSeriesDimension, UsageTotals } from './usage.repository';

export const USAGE_SERIES_DIMENSIONS: readonly UsageSeriesDimension[] = ['provider', 'model', 'user'];
export const USAGE_DEFAULT_SERIES_LIMIT = 10;
/** The key of the series that sums every group past the series limit. */
export const USAGE_OTHER_SERIES = 'other';

export interface UsageTimeseriesRequest {
  from?: string;
  to?: string;
  userId?: string;
  provider?: ProviderName;
  model?: string;
  groupBy?: UsageSeriesDimension;
  /** Series shown by name, biggest cost first; the rest are summed into one `other` series. */
  seriesLimit?: number;
}

/** One day of one series; every day of the range is present (zero when nothing was used). */
export interface UsagePoint {
  day: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costMicroDollars: number;
}

export interface UsageSeries {
  /** Stable within a response: the provider, `provider/model`, the user id (`none` without a user), or `other`. */
  key: string;
  /** What a legend shows. */
  label: string;
  provider?: string;
  model?: string;
  userId?: string | null;
  username?: string | null;
  /** One point per day of `days`, in the same order. */
  points: UsagePoint[];
  totals: UsageTotals;
}

/** The budgets in force, so that a chart can draw their lines; null limits are not set. */
export interface UsageBudgets {
  period: BudgetPeriod;
  mode: BudgetMode;
  /** The first UTC day of the current budget period. */
  periodStart: string;
  globalMicroDollars: number | null;
  /** The limit of each user (the same for all). */
  perUserMicroDollars: number | null;
  /** What everyone has spent (and reserved) since `periodStart`. */
  globalSpentMicroDollars: number;
}

export interface UsageTimeseries {
  from: string;
  to: string;
  groupBy: UsageSeriesDimension;
  /** Every UTC day from `from` to `to`, oldest first. */
  days: string[];
  /** Biggest cost first; `other` (when present) last. */
  series: UsageSeries[];
  /** Per day over all series (zero-filled like the series). */
  dailyTotals: UsagePoint[];
  totals: UsageTotals;
  budgets: UsageBudgets;
}

const DAY_MS = 86_400_000;

const emptyPoint = (day: string): UsagePoint => ({ day, requests: 0, inputTokens: 0, outputTokens: 0, costMicroDollars: 0 });

function addTo(point: UsagePoint, row: Omit<UsagePoint, 'day'>): void {
  point.requests += row.requests;
  point.inputTokens += row.inputTokens;
  point.outputTokens += row.outputTokens;
  point.costMicroDollars += row.costMicroDollars;
}

function totalsOf(points: readonly UsagePoint[]): UsageTotals {
  const sum = emptyPoint('');
  for (const point of points) addTo(sum, point);
  return {
    requests: sum.requests,
    inputTokens: sum.inputTokens,
    outputTokens: sum.outputTokens,
    costMicroDollars: sum.costMicroDollars,
    costUsd: sum.costMicroDollars / 1_000_000,
  };
}

/** Every UTC day from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let time = Date.parse(`${from}T00:00:00Z`); time <= Date.parse(`${to}T00:00:00Z`); time += DAY_MS) days.push(utcDay(new Date(time)));
  return days;
}

function identityOf(
  row: UsageDailyRow,
  groupBy: UsageSeriesDimension,
): Pick<UsageSeries, 'key' | 'label' | 'provider' | 'model' | 'userId' | 'username'> {
  switch (groupBy) {
    case 'provider':
      return { key: row.provider ?? '', label: row.provider ?? '', provider: row.provider };
    case 'model':
      return {
        key: `${row.provider ?? ''}/${row.model ?? ''}`,
        label: `${row.model ?? ''} (${row.provider ?? ''})`,
        provider: row.provider,
        model: row.model,
      };
    case 'user': {
      const userId = row.userId ?? null;
      return {
        key: userId ?? 'none',
        label: row.username ?? (userId ? 'deleted user' : 'no user'),
        userId,
        username: row.username ?? null,
      };
    }
  }
}

/**
 * Day rows of groups → one zero-filled series per group, biggest cost first, at most `seriesLimit`
 * named series and the rest summed as `other`, so a stacked chart needs no gap or overflow logic.
 */
export function shapeTimeseries(
  rows: readonly UsageDailyRow[],
  days: readonly string[],
  groupBy: UsageSeriesDimension,
  seriesLimit: number,
) {
  const index = new Map(days.map((day, position) => [day, position]));
  const groups = new Map<string, Omit<UsageSeries, 'totals'>>();
  for (const row of rows) {
    const position = index.get(row.day);
    if (position === undefined) continue;
    const identity = identityOf(row, groupBy);
    let series = groups.get(identity.key);
    if (!series) {
      series = { ...identity, points: days.map(emptyPoint) };
      groups.set(identity.key, series);
    }
    addTo(series.points[position], row);
  }
  const ranked = [...groups.values()]
    .map((series): UsageSeries => ({ ...series, totals: totalsOf(series.points) }))
    .sort(
      (a, b) =>
        b.totals.costMicroDollars - a.totals.costMicroDollars || b.totals.requests - a.totals.requests || a.key.localeCompare(b.key),
    );
  const series = ranked.slice(0, seriesLimit);
  const rest = ranked.slice(seriesLimit);
  if (rest.length > 0) {
    const points = days.map(emptyPoint);
    for (const folded of rest) folded.points.forEach((point, position) => addTo(points[position], point));
    series.push({
      key: USAGE_OTHER_SERIES,
      label: `${rest.length} other${rest.length === 1 ? '' : 's'}`,
      points,
      totals: totalsOf(points),
    });
  }
  const dailyTotals = days.map(emptyPoint);
  for (const each of series) each.points.forEach((point, position) => addTo(dailyTotals[position], point));
  return { series, dailyTotals, totals: totalsOf(dailyTotals) };
}

/** GET /api/usage/timeseries: day buckets over a bounded range, one series per provider, model or user, and the budgets. */
export class UsageTimeseriesReports {
  private readonly guard: BudgetGuard;

  constructor(
    private readonly repository: UsageRepository,
    private readonly budget: BudgetSettings,
    private readonly writes?: { flush(): Promise<void> },
  ) {
    this.guard = new BudgetGuard(budget, repository);
  }

  async timeseries(request: UsageTimeseriesRequest, now = new Date()): Promise<UsageTimeseries> {
    const to = request.to ?? utcDay(now);
    const from = request.from ?? utcDay(new Date(Date.parse(`${to}T00:00:00Z`) - (USAGE_DEFAULT_RANGE_DAYS - 1) * DAY_MS));
    const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
    if (span < 1) throw new UsageException(ErrorCode.ValidationFailed, 'from must not be after to');
    if (span > USAGE_MAX_RANGE_DAYS)
      throw new UsageException(ErrorCode.ValidationFailed, `the range may span at most ${USAGE_MAX_RANGE_DAYS} days`);
    const groupBy = request.groupBy ?? 'provider';
    const days = daysBetween(from, to);
    const periodStart = this.guard.period(now).start;
    await this.writes?.flush(); // this instance's queued usage is counted
    const rows = await this.repository.daily({
      from,
      to,
      userId: request.userId,
      provider: request.provider,
      model: request.model,
      groupBy,
    });
    const shaped = shapeTimeseries(rows, days, groupBy, request.seriesLimit ?? USAGE_DEFAULT_SERIES_LIMIT);
    return {
      from,
      to,
      groupBy,
      days,
      ...shaped,
      budgets: {
        period: this.budget.period,
        mode: this.budget.mode,
        periodStart,
        globalMicroDollars: this.budget.globalMicroDollars ?? null,
        perUserMicroDollars: this.budget.userMicroDollars ?? null,
        globalSpentMicroDollars: await this.repository.spentSince(periodStart),
      },
    };
  }
}
