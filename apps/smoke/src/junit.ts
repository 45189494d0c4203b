import type { SmokeRun } from './run-checks';
import { countsOf } from './summary';

/** Text safe inside an XML attribute or element: the five entities, and no characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- removing exactly the control characters XML 1.0 cannot carry
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** The run as JUnit XML: one testsuite, one testcase per check, failures with their reason, skipped ones marked. */
export function junitXml(url: string, run: SmokeRun, timestamp: Date): string {
  const counts = countsOf(run.results);
  const total = run.results.reduce((sum, result) => sum + result.durationMs, 0);
  const summary = `tests="${run.results.length}" failures="${counts.failed}" errors="0" skipped="${counts.skipped}" time="${seconds(total)}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="aegis-smoke" ${summary}>`,
    `  <testsuite name="aegis smoke: ${xmlEscape(url)}" ${summary} timestamp="${timestamp.toISOString()}">`,
  ];
  for (const result of run.results) {
    const open = `    <testcase classname="aegis.smoke" name="${xmlEscape(result.name)}" time="${seconds(result.durationMs)}"`;
    const detail = xmlEscape(result.detail);
    switch (result.status) {
      case 'passed':
        lines.push(`${open}>`, `      <system-out>${detail}</system-out>`, '    </testcase>');
        break;
      case 'failed':
        lines.push(`${open}>`, `      <failure message="${detail}" type="SmokeCheckFailed">${detail}</failure>`, '    </testcase>');
        break;
      case 'skipped':
        lines.push(`${open}>`, `      <skipped message="${detail}"/>`, '    </testcase>');
        break;
    }
  }
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}
