// npm test: every test — unit, integration (real PostgreSQL started here), the OpenAPI staleness
// check and the browser end-to-end test — then one summary. With CI=true nothing is skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { installIfNeeded, readJson, requireNode, root } from './lib.mjs';

requireNode();
installIfNeeded();

const resultsDir = join(root, 'dist', 'test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', PLAYWRIGHT_JSON_OUTPUT_NAME: join(resultsDir, 'web-e2e-e2e.json') };
const steps = [
  ['unit tests', ['nx', 'run-many', '-t', 'test', '--output-style=stream']],
  ['integration tests (PostgreSQL, PGlite)', ['nx', 'run-many', '-t', 'integration', '--parallel=1', '--output-style=stream']],
  ['build', ['nx', 'run-many', '-t', 'build', '-p', 'api', 'web', '--output-style=static']],
  ['OpenAPI document and client types are current', ['nx', 'run', 'api:openapi', '--check', '--output-style=static']],
  ['end-to-end (Chromium)', ['nx', 'run', 'web-e2e:e2e', '--output-style=stream']],
];

const failedSteps = [];
for (const [name, args] of steps) {
  process.stdout.write(`\n━━ ${name} ━━\n`);
  const result = spawnSync('npx', args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) failedSteps.push(name);
}

/** Jest and Vitest write Jest's JSON shape; Playwright its own. */
function countsOf(file) {
  const report = readJson(join(resultsDir, file));
  if (report.stats && 'expected' in report.stats) {
    return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected, skipped: report.stats.skipped };
  }
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + (report.numTodoTests ?? 0) };
}

const rows = existsSync(resultsDir)
  ? readdirSync(resultsDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];
const total = { passed: 0, failed: 0, skipped: 0 };
process.stdout.write('\n━━ summary ━━\n');
process.stdout.write(`${'suite'.padEnd(36)}${'passed'.padStart(8)}${'failed'.padStart(8)}${'skipped'.padStart(9)}\n`);
for (const file of rows) {
  const counts = countsOf(file);
  for (const key of Object.keys(total)) total[key] += counts[key];
  process.stdout.write(
    `${file.replace(/\.json$/, '').padEnd(36)}${String(counts.passed).padStart(8)}${String(counts.failed).padStart(8)}${String(counts.skipped).padStart(9)}\n`,
  );
}
if (failedSteps.length > 0) process.stdout.write(`\nFailed steps: ${failedSteps.join(', ')}\n`);
if (process.env.CI === 'true' && total.skipped > 0) {
  process.stdout.write(`\n${total.skipped} skipped test(s): with CI=true nothing may be skipped.\n`);
  failedSteps.push('skipped tests');
}
process.stdout.write(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exit(failedSteps.length > 0 || total.failed > 0 ? 1 : 0);
