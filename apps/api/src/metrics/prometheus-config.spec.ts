import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipUnlessCi } from '@aegis/testing';
import { REPO_ROOT } from './testing/exposition';

// deploy/prometheus must load in Prometheus: promtool (Debian's prometheus package) checks the alert rules and
// the example scrape configuration. The metric names they use are checked against a scrape in metrics.integration-spec.ts.

const PROMETHEUS_DIR = join(REPO_ROOT, 'deploy', 'prometheus');

function promtoolProblem(): string | undefined {
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  return probe.error || probe.status !== 0
    ? `promtool is not installed (apt-get install prometheus): ${probe.error?.message ?? probe.stderr}`
    : undefined;
}

const promtool = (...args: string[]) => execFileSync('promtool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('deploy/prometheus checked by promtool', () => {
  const skip = skipUnlessCi('promtool', promtoolProblem());
  const check = skip ? it.skip : it;

  check('accepts the alert rules', () => {
    expect(promtool('check', 'rules', join(PROMETHEUS_DIR, 'alerts.yml'))).toMatch(/SUCCESS: \d+ rules found/);
  });

  check('accepts the example configuration with its rules and a credentials file beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-prometheus-'));
    try {
      for (const file of ['prometheus.yml', 'alerts.yml']) copyFileSync(join(PROMETHEUS_DIR, file), join(dir, file));
      writeFileSync(join(dir, 'aegis-metrics-token'), 'a-metrics-token\n', { mode: 0o600 });
      const output = promtool('check', 'config', join(dir, 'prometheus.yml'));
      expect(output).toContain('SUCCESS');
      expect(output).toMatch(/SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  check('refuses a broken rule, so the checks above mean something', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-prometheus-'));
    try {
      writeFileSync(join(dir, 'broken.yml'), 'groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum(rate(up[5m]) >\n');
      expect(() => promtool('check', 'rules', join(dir, 'broken.yml'))).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
