import { ErrorCode } from '@aegis/contracts';
import type { BudgetSettings } from '../provider-settings';
import { daysBetween, shapeTimeseries, UsageTimeseriesReports } from './usage-timeseries';
import type { UsageDailyRow, UsageRepository } from './usage.repository';

const row = (day: string, provider: string, costMicroDollars: number, extra: Partial<UsageDailyRow> = {}): UsageDailyRow => ({
  day,
  provider,
  requests: 1,
  inputTokens: 10,
  outputTokens: 5,
  costMicroDollars,
  ...extra,
});

describe('daysBetween', () => {
  it('lists every UTC day inclusive, across a month end and a leap day', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(daysBetween('2026-05-01', '2026-05-01')).toEqual(['2026-05-01']);
  });
});

describe('shapeTimeseries', () => {
  const days = daysBetween('2026-05-01', '2026-05-03');

  it('fills the days without usage with zeros, one point per day in order', () => {
    const { series, dailyTotals, totals } = shapeTimeseries([row('2026-05-02', 'openai', 100)], days, 'provider', 10);
    expect(series).toHaveLength(1);
    expect(series[0].points.map((point) => [point.day, point.costMicroDollars])).toEqual([
      ['2026-05-01', 0],
      ['2026-05-02', 100],
      ['2026-05-03', 0],
    ]);
    expect(dailyTotals.map((point) => point.requests)).toEqual([0, 1, 0]);
    expect(totals).toEqual({ requests: 1, inputTokens: 10, outputTokens: 5, costMicroDollars: 100, costUsd: 0.0001 });
  });

  it('orders series by cost and sums the groups past the limit into one "other" series', () => {
    const rows = [
      row('2026-05-01', 'openai', 10),
      row('2026-05-01', 'anthropic', 300),
      row('2026-05-03', 'gemini', 20),
      row('2026-05-02', 'ollama', 0),
    ];
    const { series, totals } = shapeTimeseries(rows, days, 'provider', 2);
    expect(series.map((each) => [each.key, each.totals.costMicroDollars])).toEqual([
      ['anthropic', 300],
      ['gemini', 20],
      ['other', 10],
    ]);
    expect(series[2]).toMatchObject({ label: '2 others', totals: { requests: 2 } });
    expect(totals.costMicroDollars).toBe(330);
    expect(totals.requests).toBe(4);
  });

  it('tells models apart per provider and names users, deleted users and usage without a user', () => {
    const byModel = shapeTimeseries(
      [row('2026-05-01', 'ollama', 0, { model: 'llama3.2' }), row('2026-05-01', 'groq', 5, { model: 'llama3.2' })],
      days,
      'model',
      10,
    );
    expect(byModel.series.map((each) => [each.key, each.label])).toEqual([
      ['groq/llama3.2', 'llama3.2 (groq)'],
      ['ollama/llama3.2', 'llama3.2 (ollama)'],
    ]);
    const byUser = shapeTimeseries(
      [
        row('2026-05-01', 'openai', 3, { userId: 'u1', username: 'vera' }),
        row('2026-05-01', 'openai', 2, { userId: 'u2', username: null }),
        row('2026-05-02', 'openai', 1, { userId: null, username: null }),
      ],
      days,
      'user',
      10,
    );
    expect(byUser.series.map((each) => [each.key, each.label])).toEqual([
      ['u1', 'vera'],
      ['u2', 'deleted user'],
      ['none', 'no user'],
    ]);
  });
});

describe('UsageTimeseriesReports', () => {
  const budget: BudgetSettings = {
    userMicroDollars: 2_000_000,
    globalMicroDollars: undefined,
    period: 'month',
    mode: 'enforce',
    cacheMs: 0,
  };
  const repository = {
    daily: jest.fn(() => Promise.resolve([row('2026-05-30', 'openai', 40)])),
    spentSince: jest.fn(() => Promise.resolve(40)),
  } as unknown as UsageRepository;

  it('defaults to the last 30 days by provider and reports the budgets of the current period', async () => {
    const report = await new UsageTimeseriesReports(repository, budget).timeseries({}, new Date('2026-05-31T12:00:00Z'));
    expect(report).toMatchObject({ from: '2026-05-02', to: '2026-05-31', groupBy: 'provider' });
    expect(report.days).toHaveLength(30);
    expect(report.series[0].points).toHaveLength(30);
    expect(report.budgets).toEqual({
      period: 'month',
      mode: 'enforce',
      periodStart: '2026-05-01',
      globalMicroDollars: null,
      perUserMicroDollars: 2_000_000,
      globalSpentMicroDollars: 40,
    });
  });

  it('refuses a reversed or too long range', async () => {
    const reports = new UsageTimeseriesReports(repository, budget);
    await expect(reports.timeseries({ from: '2026-05-02', to: '2026-05-01' })).rejects.toMatchObject({ code: ErrorCode.ValidationFailed });
    await expect(reports.timeseries({ from: '2024-01-01', to: '2026-01-01' })).rejects.toThrow('at most 366 days');
  });
});
