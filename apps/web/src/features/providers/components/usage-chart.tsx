import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatAxisValue, formatMetric, shortDay, toAlignedData, type UsageChartModel } from '../usage-chart-data';

const CHART_HEIGHT = 280;

/** A CSS custom property of the page, as the canvas needs it (canvas cannot read var()). */
function token(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Bumps when the theme changes (the top bar's switch or the system's setting), so the canvas is redrawn in its colours. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((current) => current + 1);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', bump);
    return () => {
      observer.disconnect();
      media.removeEventListener('change', bump);
    };
  }, []);
  return version;
}

function chartOptions(model: UsageChartModel, width: number, onHover: (index: number | null) => void): uPlot.Options {
  const text = token('--color-text-muted');
  const grid = token('--color-border');
  const font = `12px ${token('--font-sans') || 'sans-serif'}`;
  const labelFont = `600 12px ${token('--font-sans') || 'sans-serif'}`;
  const bars = uPlot.paths.bars?.({ size: [0.7, 48], gap: 1 });
  const hasPeriodAxis = model.budgetLines.some((line) => line.axis === 'period');
  const unitWords = model.unit === 'USD' ? 'USD per day' : 'tokens per day';
  const axisStyle = { stroke: text, font, labelFont, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };

  // Drawn top of the stack first; each lower bar paints over it, leaving the upper part visible.
  const barSeries: uPlot.Series[] = [...model.series].reverse().map((item) => ({
    label: item.label,
    scale: 'y',
    stroke: token(`--chart-${item.colour}`),
    fill: token(`--chart-${item.colour}`),
    width: 0,
    paths: bars,
    points: { show: false },
  }));
  const lineSeries: uPlot.Series[] = model.budgetLines.map((line) => ({
    label: line.label,
    scale: line.axis === 'period' ? 'period' : 'y',
    stroke: line.kind === 'period-spent' ? token('--color-text') : token('--color-danger'),
    width: 2,
    dash: line.kind === 'period-spent' || line.kind === 'daily-per-user' ? [6, 4] : undefined,
    points: { show: false },
  }));

  const axes: uPlot.Axis[] = [
    {
      ...axisStyle,
      scale: 'x',
      label: 'Day (UTC)',
      incrs: [1, 2, 7, 14, 30],
      space: 44,
      values: (_chart, splits) => splits.map((index) => (Number.isInteger(index) && model.days[index] ? shortDay(model.days[index]) : '')),
    },
    {
      ...axisStyle,
      scale: 'y',
      label: unitWords,
      size: 64,
      values: (_chart, splits) => splits.map((value) => formatAxisValue(value, model.metric)),
    },
  ];
  if (hasPeriodAxis) {
    axes.push({
      ...axisStyle,
      scale: 'period',
      side: 1,
      label: 'USD this month',
      size: 72,
      grid: { show: false },
      values: (_chart, splits) => splits.map((value) => formatAxisValue(value, 'cost')),
    });
  }

  const lastIndex = Math.max(0, model.days.length - 1);
  return {
    width,
    height: CHART_HEIGHT,
    legend: { show: false },
    cursor: { points: { show: false }, drag: { x: false, y: false } },
    scales: {
      // Half a day on each side, so the first and last bars are whole.
      x: { time: false, auto: false, min: -0.5, max: lastIndex + 0.5, range: () => [-0.5, lastIndex + 0.5] },
      y: { range: (_chart, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      period: { range: (_chart, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
    },
    axes,
    series: [{ label: 'Day' }, ...barSeries, ...lineSeries],
    hooks: { setCursor: [(chart) => onHover(chart.cursor.idx ?? null)] },
  };
}

/** What the pointer is over, in words, under the chart. */
function HoverLine({ model, index }: { model: UsageChartModel; index: number | null }) {
  const day = index === null ? undefined : model.days[index];
  if (index === null || day === undefined) return <p className="usage-chart__hover muted">Point at a bar to see that day’s numbers.</p>;
  const parts = model.series
    .filter((item) => (item.values[index] ?? 0) > 0)
    .map((item) => `${item.label} ${formatMetric(item.values[index] ?? 0, model.metric)}`);
  return (
    <p className="usage-chart__hover">
      <strong>{shortDay(day)}</strong>: {formatMetric(model.dayTotals[index] ?? 0, model.metric)}
      {parts.length > 0 ? ` (${parts.join(', ')})` : ''}
    </p>
  );
}

/**
 * The stacked daily chart (uPlot draws on a canvas; its CSS comes from a file, so the strict CSP
 * holds). The legend, the hover line and the table below carry the same numbers in words.
 */
export function UsageChart({ model, title }: { model: UsageChartModel; title: string }) {
  const holder = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [hovered, setHovered] = useState<number | null>(null);
  const themeVersion = useThemeVersion();

  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = holder.current;
    if (!element || width === 0) return;
    const chart = new uPlot(chartOptions(model, width, setHovered), toAlignedData(model) as uPlot.AlignedData, element);
    return () => chart.destroy();
    // Recreated on new data, width or theme: uPlot reads its colours once.
  }, [model, width, themeVersion]);

  const summary = `${title}: ${formatMetric(model.total, model.metric)} in total over ${model.days.length} days${
    model.series.length > 0 ? `, ${model.series.map((item) => `${item.label} ${formatMetric(item.total, model.metric)}`).join(', ')}` : ''
  }. The table below gives each day’s numbers.`;

  return (
    <figure className="usage-chart">
      <div className="usage-chart__canvas" ref={holder} role="img" aria-label={summary} data-testid="usage-chart" />
      <HoverLine model={model} index={hovered} />
      <figcaption>
        <ul className="usage-legend" aria-label="Legend">
          {model.series.map((item) => (
            <li key={item.key} className="usage-legend__item" data-series-key={item.key}>
              <span className={`usage-legend__swatch usage-legend__swatch--${item.colour}`} aria-hidden="true" />
              {item.label}: <span className="usage-legend__value">{formatMetric(item.total, model.metric)}</span>
            </li>
          ))}
          {model.budgetLines.map((line) => (
            <li key={line.kind} className="usage-legend__item" data-budget-line={line.kind}>
              <span className={`usage-legend__line usage-legend__line--${line.kind}`} aria-hidden="true" />
              {line.label}
            </li>
          ))}
        </ul>
        {model.budgetNote ? <p className="usage-chart__note">{model.budgetNote}</p> : null}
        {model.metric === 'cost' && model.budgetLines.length === 0 && model.budgetNote === null ? (
          <p className="usage-chart__note muted">
            No spending budget is set (PROVIDER_BUDGET_GLOBAL_USD, PROVIDER_BUDGET_USER_USD), so no budget line is drawn.
          </p>
        ) : null}
      </figcaption>
    </figure>
  );
}
