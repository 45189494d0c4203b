import { describe, expect, it } from 'vitest';
import type { UsageBudgets, UsageSeries, UsageTimeseries } from './api/get-usage-timeseries';
import { formatAxisValue, formatUsd, periodSpendLine, shapeUsageChart, toAlignedData } from './usage-chart-data';

const DAYS = ['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02'];

function point(day: string, costMicroDollars: number, inputTokens = 0, outputTokens = 0) {
  return { day, requests: costMicroDollars > 0 ? 1 : 0, inputTokens, outputTokens, costMicroDollars };
}

function series(key: string, costs: number[], tokens: number[] = costs.map(() => 0)): UsageSeries {
  const points = DAYS.map((day, index) => point(day, costs[index] ?? 0, tokens[index] ?? 0, 0));
  const costMicroDollars = costs.reduce((sum, cost) => sum + cost, 0);
  const inputTokens = tokens.reduce((sum, count) => sum + count, 0);
  return {
    key,
    label: key,
    points,
    totals: { requests: 1, inputTokens, outputTokens: 0, costMicroDollars, costUsd: costMicroDollars / 1e6 },
  };
}

function budgets(overrides: Partial<UsageBudgets> = {}): UsageBudgets {
  return {
    period: 'month',
    mode: 'enforce',
    periodStart: '2026-11-01',
    globalMicroDollars: null,
    perUserMicroDollars: null,
    globalSpentMicroDollars: 0,
    run: { maxSteps: 8, maxTokens: 60_000, deadlineMs: 600_000 },
    ...overrides,
  };
}

function timeseries(
  items: UsageSeries[],
  budgetOverrides: Partial<UsageBudgets> = {},
  groupBy: UsageTimeseries['groupBy'] = 'provider',
): UsageTimeseries {
  const dailyTotals = DAYS.map((day, index) =>
    items.reduce(
      (sum, item) => {
        const p = item.points[index];
        return p
          ? { ...sum, costMicroDollars: sum.costMicroDollars + p.costMicroDollars, inputTokens: sum.inputTokens + p.inputTokens }
          : sum;
      },
      point(day, 0),
    ),
  );
  const costMicroDollars = items.reduce((sum, item) => sum + item.totals.costMicroDollars, 0);
  const inputTokens = items.reduce((sum, item) => sum + item.totals.inputTokens, 0);
  return {
    from: DAYS[0] ?? '',
    to: DAYS[DAYS.length - 1] ?? '',
    groupBy,
    days: DAYS,
    series: items,
    dailyTotals,
    totals: { requests: 2, inputTokens, outputTokens: 0, costMicroDollars, costUsd: costMicroDollars / 1e6 },
    budgets: budgets(budgetOverrides),
  };
}

describe('shapeUsageChart', () => {
  it('stacks the series in the server order (biggest first, at the bottom) in dollars', () => {
    const model = shapeUsageChart(
      timeseries([series('openai', [1_000_000, 0, 2_500_000, 0]), series('anthropic', [500_000, 0, 0, 250_000])]),
      'cost',
    );
    expect(model.unit).toBe('USD');
    expect(model.series.map((item) => item.key)).toEqual(['openai', 'anthropic']);
    expect(model.series[0]?.values).toEqual([1, 0, 2.5, 0]);
    expect(model.series[0]?.stacked).toEqual([1, 0, 2.5, 0]);
    expect(model.series[1]?.values).toEqual([0.5, 0, 0, 0.25]);
    expect(model.series[1]?.stacked).toEqual([1.5, 0, 2.5, 0.25]);
    expect(model.series.map((item) => item.total)).toEqual([3.5, 0.75]);
    expect(model.dayTotals).toEqual([1.5, 0, 2.5, 0.25]);
    expect(model.total).toBe(4.25);
    expect(model.series.map((item) => item.colour)).toEqual([1, 2]);
  });

  it('counts input and output tokens for the token chart, with no budget lines', () => {
    const model = shapeUsageChart(
      timeseries([series('openai', [10, 0, 0, 0], [100, 0, 50, 0])], { globalMicroDollars: 5_000_000 }),
      'tokens',
    );
    expect(model.unit).toBe('tokens');
    expect(model.series[0]?.values).toEqual([100, 0, 50, 0]);
    expect(model.total).toBe(150);
    expect(model.budgetLines).toEqual([]);
    expect(model.budgetNote).toBeNull();
  });

  it('cycles the seven palette colours past the seventh series', () => {
    const items = Array.from({ length: 9 }, (_, index) => series(`s${index}`, [1, 0, 0, 0]));
    expect(shapeUsageChart(timeseries(items), 'cost').series.map((item) => item.colour)).toEqual([1, 2, 3, 4, 5, 6, 7, 1, 2]);
  });

  it('has no budget lines and no note when no budget is set', () => {
    const model = shapeUsageChart(timeseries([series('openai', [1, 0, 0, 0])]), 'cost');
    expect(model.budgetLines).toEqual([]);
    expect(model.budgetNote).toBeNull();
  });

  it('draws a daily budget as a flat line on the bars’ axis', () => {
    const model = shapeUsageChart(
      timeseries([series('openai', [1, 0, 0, 0])], { period: 'day', periodStart: '2026-11-02', globalMicroDollars: 2_000_000 }),
      'cost',
    );
    expect(model.budgetLines).toEqual([
      { kind: 'daily-global', label: 'Daily budget, everyone: $2.00', values: [2, 2, 2, 2], axis: 'day' },
    ]);
    expect(model.budgetNote).toContain('daily budget for everyone together ($2.00 per UTC day)');
  });

  it('draws the per-user daily budget only when the chart is grouped by user', () => {
    const overrides = { period: 'day' as const, perUserMicroDollars: 1_000_000 };
    const byProvider = shapeUsageChart(timeseries([series('openai', [1, 0, 0, 0])], overrides), 'cost');
    expect(byProvider.budgetLines).toEqual([]);
    expect(byProvider.budgetNote).toContain('group by user to compare');
    const byUser = shapeUsageChart(timeseries([series('u1', [1, 0, 0, 0])], overrides, 'user'), 'cost');
    expect(byUser.budgetLines.map((line) => [line.kind, line.axis])).toEqual([['daily-per-user', 'day']]);
  });

  it('draws a monthly budget with the spend since the 1st on the second axis, not as a daily limit', () => {
    const model = shapeUsageChart(
      timeseries([series('openai', [1_000_000, 2_000_000, 3_000_000, 4_000_000])], {
        globalMicroDollars: 100_000_000,
        globalSpentMicroDollars: 7_000_000,
      }),
      'cost',
    );
    expect(model.budgetLines.map((line) => [line.kind, line.axis])).toEqual([
      ['period-global', 'period'],
      ['period-spent', 'period'],
    ]);
    expect(model.budgetLines[0]?.values).toEqual([100, 100, 100, 100]);
    // October starts before the range: its running total is unknown and not drawn; November restarts at its 1st.
    expect(model.budgetLines[1]?.values).toEqual([null, null, 3, 7]);
    expect(model.budgetNote).toContain('not a daily limit');
    expect(model.budgetNote).toContain('$7.00 spent since 2026-11-01');
  });
});

describe('periodSpendLine', () => {
  it('starts the current month from what was spent before the range began', () => {
    const days = ['2026-11-10', '2026-11-11'];
    expect(periodSpendLine(days, [1, 2], budgets({ globalSpentMicroDollars: 10_000_000 }))).toEqual([8, 10]);
  });

  it('counts a month whose 1st is in the range from zero', () => {
    expect(periodSpendLine(['2026-09-30', '2026-10-01', '2026-10-02'], [5, 1, 1], budgets())).toEqual([null, 1, 2]);
  });
});

describe('toAlignedData', () => {
  it('gives x as day indexes, the stack top first, then the budget lines', () => {
    const model = shapeUsageChart(
      timeseries([series('openai', [1_000_000, 0, 0, 0]), series('anthropic', [1_000_000, 0, 0, 0])], {
        period: 'day',
        globalMicroDollars: 3_000_000,
      }),
      'cost',
    );
    expect(toAlignedData(model)).toEqual([
      [0, 1, 2, 3],
      [2, 0, 0, 0],
      [1, 0, 0, 0],
      [3, 3, 3, 3],
    ]);
  });
});

describe('formatting', () => {
  it('keeps fractions of a cent visible and thousands short on the axis', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(12.3)).toBe('$12.30');
    expect(formatAxisValue(1500, 'cost')).toBe('$1.5K');
    expect(formatAxisValue(12_000, 'tokens')).toBe('12K');
  });
});
