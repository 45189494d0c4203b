import { useNavigate, useSearch } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useUsageTimeseries } from '../api/get-usage-timeseries';
import {
  RANGE_PRESETS,
  isDay,
  usageRange,
  type ProvidersSearch,
  type RangePreset,
  type UsageGroupByChoice,
  type UsageMetric,
} from '../search';
import { formatMetric, formatUsd, microDollarsToUsd, shapeUsageChart, type UsageChartModel } from '../usage-chart-data';
import { RequestError } from './request-error';
import { UsageChart } from './usage-chart';

const GROUP_WORDS: Record<UsageGroupByChoice, string> = { provider: 'provider', model: 'model', user: 'user' };

function UsageTable({ model, caption }: { model: UsageChartModel; caption: string }) {
  return (
    <div className="table-scroll usage-table-scroll" tabIndex={0} role="region" aria-label={`${caption} (table)`}>
      <table className="data-table stack-table usage-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            {model.series.map((item) => (
              <th scope="col" key={item.key}>
                {item.label}
              </th>
            ))}
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {model.days.map((day, index) => (
            <tr key={day}>
              <th scope="row" data-label="Day (UTC)" className="mono">
                {day}
              </th>
              {model.series.map((item) => (
                <td key={item.key} data-label={item.label} className="usage-table__number">
                  {formatMetric(item.values[index] ?? 0, model.metric)}
                </td>
              ))}
              <td data-label="Total" className="usage-table__number usage-table__total">
                {formatMetric(model.dayTotals[index] ?? 0, model.metric)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" data-label="Range">
              All days
            </th>
            {model.series.map((item) => (
              <td key={item.key} data-label={item.label} className="usage-table__number">
                {formatMetric(item.total, model.metric)}
              </td>
            ))}
            <td data-label="Total" className="usage-table__number usage-table__total">
              {formatMetric(model.total, model.metric)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** Cost or tokens per day, stacked by provider, model or user, over a range kept in the URL. */
export function UsageSection() {
  const search = useSearch({ from: '/providers' });
  const navigate = useNavigate({ from: '/providers' });
  const groupBy: UsageGroupByChoice = search.groupBy ?? 'provider';
  const metric: UsageMetric = search.metric ?? 'cost';
  const range = usageRange(search);
  const usage = useUsageTimeseries({ from: range.from, to: range.to, groupBy });
  const model = useMemo(() => (usage.data ? shapeUsageChart(usage.data, metric) : null), [usage.data, metric]);

  const update = (changes: Partial<ProvidersSearch>) => {
    void navigate({ search: (previous) => ({ ...previous, ...changes }) });
  };
  const choosePreset = (preset: RangePreset) => update({ days: preset === 30 ? undefined : preset, from: undefined, to: undefined });
  const chooseDay = (which: 'from' | 'to', value: string) => {
    if (!isDay(value)) return;
    const next = { from: range.from, to: range.to, [which]: value };
    if (next.from > next.to) return;
    update({ from: next.from, to: next.to, days: undefined });
  };

  const title = `${metric === 'cost' ? 'Cost (USD)' : 'Tokens'} per day by ${GROUP_WORDS[groupBy]}, ${range.from} to ${range.to}`;
  const totals = usage.data?.totals;

  return (
    <section className="card usage-section" aria-labelledby="usage-heading">
      <div className="card__header">
        <h2 id="usage-heading" className="card__title">
          Usage and cost
        </h2>
      </div>
      <div className="usage-controls">
        <div className="field">
          <label htmlFor="usage-group-by">Group by</label>
          <select
            id="usage-group-by"
            value={groupBy}
            onChange={(event) =>
              update({ groupBy: event.target.value === 'provider' ? undefined : (event.target.value as 'model' | 'user') })
            }
          >
            <option value="provider">Provider</option>
            <option value="model">Model</option>
            <option value="user">User</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="usage-metric">Show</label>
          <select
            id="usage-metric"
            value={metric}
            onChange={(event) => update({ metric: event.target.value === 'tokens' ? 'tokens' : undefined })}
          >
            <option value="cost">Cost (USD)</option>
            <option value="tokens">Tokens</option>
          </select>
        </div>
        <div className="usage-controls__range" role="group" aria-label="Range">
          {RANGE_PRESETS.map((preset) => (
            <button
              key={preset}
              type="button"
              className={`button button--small${range.preset === preset ? ' button--selected' : ''}`}
              aria-pressed={range.preset === preset}
              onClick={() => choosePreset(preset)}
            >
              {preset} days
            </button>
          ))}
        </div>
        <div className="field">
          <label htmlFor="usage-from">From</label>
          <input
            id="usage-from"
            type="date"
            value={range.from}
            max={range.to}
            onChange={(event) => chooseDay('from', event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="usage-to">To</label>
          <input id="usage-to" type="date" value={range.to} min={range.from} onChange={(event) => chooseDay('to', event.target.value)} />
        </div>
      </div>

      {usage.isError ? <RequestError error={usage.error} context="Could not load the usage" /> : null}
      {usage.isPending ? <span className="skeleton usage-skeleton" aria-busy="true" aria-label="Loading the usage" /> : null}

      {totals ? (
        <dl className="usage-totals" aria-label="Totals for the range">
          <div>
            <dt>Cost</dt>
            <dd data-total="cost">{formatUsd(microDollarsToUsd(totals.costMicroDollars))}</dd>
          </div>
          <div>
            <dt>Requests</dt>
            <dd data-total="requests">{totals.requests.toLocaleString('en-US')}</dd>
          </div>
          <div>
            <dt>Input tokens</dt>
            <dd data-total="input-tokens">{totals.inputTokens.toLocaleString('en-US')}</dd>
          </div>
          <div>
            <dt>Output tokens</dt>
            <dd data-total="output-tokens">{totals.outputTokens.toLocaleString('en-US')}</dd>
          </div>
        </dl>
      ) : null}

      {model ? (
        <div className="usage-result" aria-busy={usage.isFetching}>
          {model.series.length === 0 ? (
            <p className="usage-empty muted">
              No usage in this range. Answers in the chat are counted here the day they are given; try a longer range.
            </p>
          ) : null}
          <UsageChart model={model} title={title} />
          <UsageTable model={model} caption={title} />
          {usage.data && metric === 'tokens' ? (
            <p className="muted usage-chart__note">
              Token limits apply per agent run, not per day: at most {usage.data.budgets.run.maxTokens.toLocaleString('en-US')} tokens and{' '}
              {usage.data.budgets.run.maxSteps} model turns per run.
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
