import { performance } from 'node:perf_hooks';
import { CheckFailed, ServerUnreachable } from './api-client';
import type { CheckResult, SmokeCheck, SmokeContext } from './check';

/** Every check's result, and whether the run stopped because the server could not be reached. */
export interface SmokeRun {
  results: CheckResult[];
  unreachable: boolean;
}

/** A reason in one line, whatever was thrown: never a stack trace. */
function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Runs the checks in order. A check whose `needs` did not pass is skipped; once the server cannot be
 * reached, the rest are skipped too and the run reports `unreachable` (exit code 2).
 */
export async function runChecks(checks: readonly SmokeCheck[], context: SmokeContext): Promise<SmokeRun> {
  const results: CheckResult[] = [];
  let unreachable = false;
  for (const check of checks) {
    if (unreachable) {
      results.push({ name: check.name, status: 'skipped', detail: 'the server cannot be reached', durationMs: 0 });
      continue;
    }
    const missing = check.needs.map((name) => results.find((result) => result.name === name)).find((result) => result?.status !== 'passed');
    if (missing) {
      const how = missing.status === 'failed' ? 'failed' : 'was skipped';
      results.push({ name: check.name, status: 'skipped', detail: `needs the ${missing.name} check, which ${how}`, durationMs: 0 });
      continue;
    }
    const started = performance.now();
    try {
      const verdict = await check.run(context);
      results.push({ name: check.name, ...verdict, durationMs: performance.now() - started });
    } catch (error) {
      if (error instanceof ServerUnreachable) unreachable = true;
      const detail =
        error instanceof CheckFailed || error instanceof ServerUnreachable ? error.message : `unexpected error: ${reasonOf(error)}`;
      results.push({ name: check.name, status: 'failed', detail, durationMs: performance.now() - started });
    }
  }
  return { results, unreachable };
}

/** 0 every check passed or was skipped, 1 a check failed, 2 the server could not be reached (docs/smoke.md "Exit codes"). */
export function exitCodeOf(run: SmokeRun): 0 | 1 | 2 {
  if (run.unreachable) return 2;
  return run.results.some((result) => result.status === 'failed') ? 1 : 0;
}
