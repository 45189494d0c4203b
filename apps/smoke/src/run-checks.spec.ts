import { ApiClient, CheckFailed, ServerUnreachable } from './api-client';
import { passed, type SmokeCheck, type SmokeContext, skipped } from './check';
import { exitCodeOf, runChecks } from './run-checks';
import { formatSummary } from './summary';

const CONTEXT = { api: new ApiClient('http://127.0.0.1:9', 1000, undefined) } as SmokeContext;

function check(name: string, run: SmokeCheck['run'], needs: string[] = []): SmokeCheck {
  return { name, needs, run };
}

describe('runChecks', () => {
  it('runs the checks in order; a failure skips the checks that need it, not the others', async () => {
    const run = await runChecks(
      [
        check('a', () => Promise.resolve(passed('fine'))),
        check('b', () => Promise.reject(new CheckFailed('b broke')), ['a']),
        check('c', () => Promise.resolve(passed('never')), ['b']),
        check('d', () => Promise.resolve(skipped('not here')), ['a']),
        check('e', () => Promise.resolve(passed('never')), ['d']),
      ],
      CONTEXT,
    );
    expect(run.results.map(({ name, status, detail }) => ({ name, status, detail }))).toEqual([
      { name: 'a', status: 'passed', detail: 'fine' },
      { name: 'b', status: 'failed', detail: 'b broke' },
      { name: 'c', status: 'skipped', detail: 'needs the b check, which failed' },
      { name: 'd', status: 'skipped', detail: 'not here' },
      { name: 'e', status: 'skipped', detail: 'needs the d check, which was skipped' },
    ]);
    expect(exitCodeOf(run)).toBe(1);
  });

  it('stops at an unreachable server: the rest are skipped and the exit code is 2', async () => {
    const run = await runChecks(
      [
        check('a', () => Promise.reject(new ServerUnreachable('cannot reach x: connection refused'))),
        check('b', () => Promise.resolve(passed(''))),
      ],
      CONTEXT,
    );
    expect(run.unreachable).toBe(true);
    expect(run.results.map((result) => [result.status, result.detail])).toEqual([
      ['failed', 'cannot reach x: connection refused'],
      ['skipped', 'the server cannot be reached'],
    ]);
    expect(exitCodeOf(run)).toBe(2);
  });

  it('reports an unexpected error by its message only', async () => {
    const run = await runChecks([check('a', () => Promise.reject(new TypeError('x is undefined')))], CONTEXT);
    expect(run.results[0]?.detail).toBe('unexpected error: x is undefined');
  });

  it('exits 0 when every check passed or was skipped', async () => {
    const run = await runChecks(
      [check('a', () => Promise.resolve(passed(''))), check('b', () => Promise.resolve(skipped('why')))],
      CONTEXT,
    );
    expect(exitCodeOf(run)).toBe(0);
  });
});

describe('formatSummary', () => {
  const run = {
    unreachable: false,
    results: [
      { name: 'health', status: 'passed' as const, detail: 'ready', durationMs: 12 },
      { name: 'approval', status: 'skipped' as const, detail: 'needs an admin key', durationMs: 0 },
      { name: 'identity', status: 'failed' as const, detail: 'the API key was refused (401)', durationMs: 1500 },
    ],
  };

  it('writes one aligned line per check and the totals, without colours when asked', () => {
    expect(formatSummary('http://h', run, false)).toBe(
      [
        'Aegis smoke test of http://h',
        '  ✔ health       12 ms  ready',
        '  ○ approval   skipped  needs an admin key',
        '  ✘ identity     1.5 s  the API key was refused (401)',
        '1 passed, 1 failed, 1 skipped in 1.5 s',
        'A check failed (exit code 1).',
        '',
      ].join('\n'),
    );
  });

  it('colours the marks and reasons for a terminal', () => {
    const text = formatSummary('http://h', run, true);
    expect(text).toContain('\u001b[32m✔\u001b[0m');
    expect(text).toContain('\u001b[31mthe API key was refused (401)\u001b[0m');
    expect(text).toContain('\u001b[33m○\u001b[0m');
  });
});
