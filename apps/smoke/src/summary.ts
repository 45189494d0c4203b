import type { CheckResult, CheckStatus } from './check';
import type { SmokeRun } from './run-checks';

const COLOURS: Readonly<Record<CheckStatus | 'dim', string>> = { passed: '32', failed: '31', skipped: '33', dim: '2' };
const MARKS: Readonly<Record<CheckStatus, string>> = { passed: '✔', failed: '✘', skipped: '○' };

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Counts of each status, in one place for the summary and the JUnit file. */
export function countsOf(results: readonly CheckResult[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { passed: 0, failed: 0, skipped: 0 };
  for (const result of results) counts[result.status]++;
  return counts;
}

/** The summary people read: one line per check, then the totals; ANSI colours only when asked to. */
export function formatSummary(url: string, run: SmokeRun, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const width = Math.max(...run.results.map((result) => result.name.length), 0);
  const lines = [`Aegis smoke test of ${url}`];
  for (const result of run.results) {
    const mark = paint(COLOURS[result.status], MARKS[result.status]);
    const time = result.status === 'skipped' ? 'skipped'.padStart(8) : formatDuration(result.durationMs).padStart(8);
    const detail = result.status === 'passed' ? paint(COLOURS.dim, result.detail) : paint(COLOURS[result.status], result.detail);
    lines.push(`  ${mark} ${result.name.padEnd(width)}  ${time}  ${detail}`);
  }
  const counts = countsOf(run.results);
  const total = run.results.reduce((sum, result) => sum + result.durationMs, 0);
  const parts = [
    paint(COLOURS.passed, `${counts.passed} passed`),
    paint(counts.failed > 0 ? COLOURS.failed : COLOURS.dim, `${counts.failed} failed`),
    paint(counts.skipped > 0 ? COLOURS.skipped : COLOURS.dim, `${counts.skipped} skipped`),
  ];
  lines.push(`${parts.join(', ')} in ${formatDuration(total)}`);
  if (run.unreachable) lines.push(paint(COLOURS.failed, 'The server cannot be reached (exit code 2).'));
  else if (counts.failed > 0) lines.push(paint(COLOURS.failed, 'A check failed (exit code 1).'));
  return `${lines.join('\n')}\n`;
}
