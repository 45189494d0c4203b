import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DriverAvailability, ExecutionResult, SandboxDriver, SandboxRun } from '../executor.types';
import { gitSafetyEnvironment } from '../git-safety-config';
import { SANDBOX_ENV } from '../sandbox-limits';
import { runProcess } from './process-run';
import { errorMessage } from '../error-message';

const HOST_PATH = SANDBOX_ENV.PATH.split(':');

/**
 * No isolation: the program runs on the host as the server's user, with the same timeout,
 * output cap, empty environment (git's command-line safety settings included, no global git
 * config, HOME a new empty folder per command) and process-group kill as the sandboxes.
 * Development only: EXECUTE_MODE=direct or ALLOW_DIRECT_FALLBACK=true, both refused when
 * NODE_ENV=production.
 */
export class DirectDriver implements SandboxDriver {
  readonly name = 'direct' as const;

  availability(): Promise<DriverAvailability> {
    return Promise.resolve({ available: true, reason: 'commands run on the host without isolation (development only)' });
  }

  async run(run: SandboxRun): Promise<ExecutionResult> {
    const [program, ...args] = run.argv;
    const home = mkdtempSync(join(tmpdir(), 'aegis-direct-home-'));
    try {
      return await runProcess({
        driver: this.name,
        file: program,
        args,
        cwd: run.cwd,
        env: { PATH: HOST_PATH.join(':'), HOME: home, ...gitSafetyEnvironment('/dev/null') },
        timeoutMs: run.timeoutMs,
        maxOutputBytes: run.maxOutputBytes,
        signal: run.signal,
      });
    } catch (error) {
      if (run.signal?.aborted) throw error;
      // As a shell would report it: the program is not there.
      const message = errorMessage(error);
      return {
        exitCode: 127,
        stdout: '',
        stderr: `${program}: ${message}\n`,
        truncated: false,
        timedOut: false,
        durationMs: 0,
        driver: this.name,
      };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
