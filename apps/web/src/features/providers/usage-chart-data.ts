import type { UsageBudgets, UsagePoint, UsageTimeseries } from './api/get-usage-timeseries';
import type { UsageMetric } from './search';

/**
 * Turns GET /api/usage/timeseries into what the stacked chart and its table draw: one value per
 * day per series (USD or tokens), the running stack, and the budget lines that make sense for
 * day buckets (docs/web.md "Providers and costs").
 */

/** The Okabe–Ito palette has seven colours (its black is left for text): tokens --chart-1 … --chart-7. */
export const PALETTE_SIZE = 7;

export interface ChartSeries {
  key: string;
  label: string;
  /** 1-based index into the palette tokens (--chart-N); repeats after PALETTE_SIZE. */
  colour: number;
  /** One value per day, in the metric's unit. */
  values: number[];
  /** This series plus every series below it in the stack, per day. */
  stacked: number[];
  total: number;
}

export type BudgetLineKind = 'daily-global' | 'daily-per-user' | 'period-global' | 'period-spent';

export interface BudgetLine {
  kind: BudgetLineKind;
  label: string;
  /** One value per day in USD; null where the line is not drawn. */
  values: (number | null)[];
  /** 'day' lines share the bars' axis (USD per day); 'period' lines use the second axis (USD since the period began). */
  axis: 'day' | 'period';
}

export interface UsageChartModel {
  metric: UsageMetric;
  unit: 'USD' | 'tokens';
  days: string[];
  series: ChartSeries[];
  /** Each day summed over all series. */
  dayTotals: number[];
  total: number;
  budgetLines: BudgetLine[];
  /** What the budget lines mean, in words, for the legend; null when no budget is set. */
  budgetNote: string | null;
}

export function microDollarsToUsd(microDollars: number): number {
  return microDollars / 1_000_000;
}

function pointValue(point: UsagePoint, metric: UsageMetric): number {
  return metric === 'cost' ? microDollarsToUsd(point.costMicroDollars) : point.inputTokens + point.outputTokens;
}

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const SMALL_USD = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** "$12.30"; under a dollar up to four decimals ("$0.0042"), since one chat often costs fractions of a cent. */
export function formatUsd(value: number): string {
  return value !== 0 && Math.abs(value) < 1 ? SMALL_USD.format(value) : USD.format(value);
}

export function formatTokens(value: number): string {
  return `${WHOLE.format(value)} tokens`;
}

export function formatMetric(value: number, metric: UsageMetric): string {
  return metric === 'cost' ? formatUsd(value) : formatTokens(value);
}

/** Short axis ticks: "$1.5K", "12K". */
export function formatAxisValue(value: number, metric: UsageMetric): string {
  if (metric === 'tokens') return COMPACT.format(value);
  return Math.abs(value) >= 1000 ? `$${COMPACT.format(value)}` : formatUsd(value);
}

function monthOf(day: string): string {
  return day.slice(0, 7);
}

/**
 * Spend since the first of each month, per day, against a monthly budget. A month whose first day
 * lies before the range has an unknown start, so it is not drawn — except the current period, whose
 * spend since `periodStart` the server reports.
 */
export function periodSpendLine(days: string[], dayCostsUsd: number[], budgets: UsageBudgets): (number | null)[] {
  const currentPeriod = monthOf(budgets.periodStart);
  const visibleInCurrent = days.reduce(
    (sum, day, index) => (monthOf(day) === currentPeriod && day >= budgets.periodStart ? sum + (dayCostsUsd[index] ?? 0) : sum),
    0,
  );
  // What the current period spent on days before the range (zero when the range covers it all).
  const beforeRange = Math.max(0, microDollarsToUsd(budgets.globalSpentMicroDollars) - visibleInCurrent);
  const line: (number | null)[] = [];
  let month = '';
  let running: number | null = null;
  days.forEach((day, index) => {
    if (monthOf(day) !== month) {
      month = monthOf(day);
      if (month === currentPeriod) running = day === budgets.periodStart ? 0 : beforeRange;
      else running = day.endsWith('-01') ? 0 : null;
    }
    if (running !== null) running += dayCostsUsd[index] ?? 0;
    line.push(running);
  });
  return line;
}

function budgetLinesFor(
  model: Pick<UsageChartModel, 'days' | 'dayTotals'>,
  budgets: UsageBudgets,
  groupBy: UsageTimeseries['groupBy'],
): { lines: BudgetLine[]; note: string | null } {
  const global = budgets.globalMicroDollars === null ? null : microDollarsToUsd(budgets.globalMicroDollars);
  const perUser = budgets.perUserMicroDollars === null ? null : microDollarsToUsd(budgets.perUserMicroDollars);
  if (global === null && perUser === null) return { lines: [], note: null };
  const mode = budgets.mode === 'enforce' ? 'requests past it are refused' : 'passing it only warns';
  const flat = (value: number) => model.days.map(() => value);
  const lines: BudgetLine[] = [];
  const notes: string[] = [];

  if (budgets.period === 'day') {
    if (global !== null) {
      lines.push({ kind: 'daily-global', label: `Daily budget, everyone: ${formatUsd(global)}`, values: flat(global), axis: 'day' });
      notes.push(`The solid line is the daily budget for everyone together (${formatUsd(global)} per UTC day); ${mode}.`);
    }
    if (perUser !== null) {
      if (groupBy === 'user') {
        lines.push({ kind: 'daily-per-user', label: `Daily budget, each user: ${formatUsd(perUser)}`, values: flat(perUser), axis: 'day' });
        notes.push(`The dashed line is each user's own daily budget (${formatUsd(perUser)}): compare it with one user's part of a bar.`);
      } else {
        notes.push(`Each user may also spend ${formatUsd(perUser)} per day (group by user to compare).`);
      }
    }
    return { lines, note: notes.join(' ') };
  }

  // A monthly budget against daily bars: draw the spend since the 1st and the limit on a second axis.
  if (global !== null) {
    lines.push({ kind: 'period-global', label: `Monthly budget, everyone: ${formatUsd(global)}`, values: flat(global), axis: 'period' });
    lines.push({
      kind: 'period-spent',
      label: 'Spent since the 1st of the month',
      values: periodSpendLine(model.days, model.dayTotals, budgets),
      axis: 'period',
    });
    notes.push(
      `The budget is monthly (${formatUsd(global)} for everyone together; ${mode}), so it is not a daily limit: the solid line is that budget and the dashed line the spend since the 1st of each month, both on the right-hand axis (USD this month). ${formatUsd(microDollarsToUsd(budgets.globalSpentMicroDollars))} spent since ${budgets.periodStart}.`,
    );
  }
  if (perUser !== null) notes.push(`Each user may spend ${formatUsd(perUser)} per month.`);
  return { lines, note: notes.join(' ') };
}

export function shapeUsageChart(timeseries: UsageTimeseries, metric: UsageMetric): UsageChartModel {
  const { days } = timeseries;
  const below = days.map(() => 0);
  const series: ChartSeries[] = timeseries.series.map((item, index) => {
    const values = days.map((_, dayIndex) => {
      const point = item.points[dayIndex];
      return point ? pointValue(point, metric) : 0;
    });
    const stacked = values.map((value, dayIndex) => {
      below[dayIndex] = (below[dayIndex] ?? 0) + value;
      return below[dayIndex];
    });
    return {
      key: item.key,
      label: item.label,
      colour: (index % PALETTE_SIZE) + 1,
      values,
      stacked,
      total: values.reduce((sum, value) => sum + value, 0),
    };
  });
  const dayTotals = days.map((_, dayIndex) => {
    const point = timeseries.dailyTotals[dayIndex];
    return point ? pointValue(point, metric) : 0;
  });
  const total =
    metric === 'cost'
      ? microDollarsToUsd(timeseries.totals.costMicroDollars)
      : timeseries.totals.inputTokens + timeseries.totals.outputTokens;
  const model = { metric, unit: metric === 'cost' ? ('USD' as const) : ('tokens' as const), days, series, dayTotals, total };
  // Budgets are in dollars: a token chart has none to draw.
  const budgets = metric === 'cost' ? budgetLinesFor(model, timeseries.budgets, timeseries.groupBy) : { lines: [], note: null };
  return { ...model, budgetLines: budgets.lines, budgetNote: budgets.note };
}

/**
 * uPlot's aligned arrays: x (the day's index), then the stack drawn top first (each bar from zero,
 * the ones below painted over it, so each shows its own part), then the budget lines.
 */
export function toAlignedData(model: UsageChartModel): (number | null)[][] {
  const x = model.days.map((_, index) => index);
  const bars = [...model.series].reverse().map((item) => item.stacked);
  return [x, ...bars, ...model.budgetLines.map((line) => line.values)];
}

/** "29 Nov" for a UTC day "2026-11-29". */
export function shortDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}
