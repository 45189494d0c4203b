import { junitXml, xmlEscape } from './junit';
import type { SmokeRun } from './run-checks';

const RUN: SmokeRun = {
  unreachable: false,
  results: [
    { name: 'health', status: 'passed', detail: 'ready: database up', durationMs: 12.4 },
    { name: 'identity', status: 'failed', detail: 'the API key was refused (401 UNAUTHENTICATED: "x" & <y>)', durationMs: 3 },
    { name: 'approval', status: 'skipped', detail: 'needs the identity check, which failed', durationMs: 0 },
  ],
};

describe('junitXml', () => {
  const xml = junitXml('http://localhost:3000', RUN, new Date('2026-01-02T03:04:05.000Z'));

  it('counts tests, failures and skipped ones on the suites', () => {
    expect(xml.split('\n').slice(0, 3)).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="aegis-smoke" tests="3" failures="1" errors="0" skipped="1" time="0.015">',
      '  <testsuite name="aegis smoke: http://localhost:3000" tests="3" failures="1" errors="0" skipped="1" time="0.015" timestamp="2026-01-02T03:04:05.000Z">',
    ]);
    expect(xml.endsWith('  </testsuite>\n</testsuites>\n')).toBe(true);
  });

  it('writes one testcase per check: output when passed, a failure with its reason, skipped with why', () => {
    expect(xml).toContain(
      '    <testcase classname="aegis.smoke" name="health" time="0.012">\n      <system-out>ready: database up</system-out>\n    </testcase>',
    );
    const reason = 'the API key was refused (401 UNAUTHENTICATED: &quot;x&quot; &amp; &lt;y&gt;)';
    expect(xml).toContain(
      `    <testcase classname="aegis.smoke" name="identity" time="0.003">\n      <failure message="${reason}" type="SmokeCheckFailed">${reason}</failure>\n    </testcase>`,
    );
    expect(xml).toContain(
      '    <testcase classname="aegis.smoke" name="approval" time="0.000">\n      <skipped message="needs the identity check, which failed"/>\n    </testcase>',
    );
  });
});

describe('xmlEscape', () => {
  it('escapes markup and drops the control characters XML cannot hold', () => {
    expect(xmlEscape(`a<b>&"c'\u0000\u001b[31m\tok\n`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;[31m\tok\n');
  });
});
