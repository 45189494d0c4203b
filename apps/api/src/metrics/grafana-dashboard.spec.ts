import { alertExpressions, dashboardExpressions, metricNamesIn, readRepoFile } from './testing/exposition';

// deploy/grafana/aegis-dashboard.json as Grafana imports it. That every metric it names exists is checked against
// a real scrape in metrics.integration-spec.ts; here, its shape and the name extraction that check relies on.

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: { expr: string; refId: string; datasource?: { uid: string } }[];
}

const dashboard = JSON.parse(readRepoFile('deploy/grafana/aegis-dashboard.json')) as {
  schemaVersion: number;
  uid: string;
  __inputs: { name: string; type: string; pluginId: string }[];
  panels: Panel[];
};

describe('the Grafana dashboard', () => {
  const panels = dashboard.panels.filter((panel) => panel.type !== 'row');

  it('imports with a Prometheus data source chosen at import (${DS_PROMETHEUS}), schema 36 or newer', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.uid).toBe('aegis-overview');
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    for (const panel of panels) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
      for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe('${DS_PROMETHEUS}');
    }
  });

  it('has the panels the operators asked for, each with a query, on a grid without overlaps', () => {
    const titles = panels.map((panel) => panel.title);
    for (const title of [
      'Requests per second',
      'Latency p50 / p95 / p99',
      'Error rate',
      'Provider circuits',
      'Tokens per minute',
      'Cost (USD per hour)',
      'Approvals waiting',
      'Sandbox runs',
      'Sandbox run durations',
    ])
      expect(titles).toContain(title);
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of panels) expect(panel.targets?.length).toBeGreaterThan(0);
    const cells = new Set<string>();
    for (const { gridPos } of dashboard.panels) {
      expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++)
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
  });

  it('names metrics in every query, and the extraction skips functions, labels, ranges, variables and numbers', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le, provider) (rate(aegis_provider_first_token_seconds_bucket{instance=~"$instance",x="a(b)"}[$__rate_interval]))) * 1e6',
      ),
    ).toEqual(['aegis_provider_first_token_seconds_bucket']);
    expect(metricNamesIn('sum(rate(a_total[5m])) / on (instance) group_left sum(b_total) > bool 0.5 and up == 0')).toEqual([
      'a_total',
      'b_total',
      'up',
    ]);
    for (const expr of dashboardExpressions(dashboard)) expect(metricNamesIn(expr).length).toBeGreaterThan(0);
    expect(dashboardExpressions(dashboard)).toContain('http_request_duration_seconds_count');
  });

  it('reads every alert expression of deploy/prometheus/alerts.yml, one-line and block ones', () => {
    const expressions = alertExpressions(readRepoFile('deploy/prometheus/alerts.yml'));
    expect(expressions.length).toBe((readRepoFile('deploy/prometheus/alerts.yml').match(/- alert:/g) ?? []).length);
    expect(expressions).toContain('up{job="aegis"} == 0');
    expect(expressions.find((expr) => expr.includes('status_code=~"5.."'))).toMatch(/^sum by \(instance\).*> 0\.05$/);
  });
});
