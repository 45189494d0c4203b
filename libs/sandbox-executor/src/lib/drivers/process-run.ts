import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import type { DriverName, ExecutionResult } from '../executor.types';
import { CappedOutput } from './capped-output';

/** One host process to run for a driver (bwrap, or the program itself for direct). */
export interface ProcessRun {
  driver: DriverName;
  /** Absolute path of the executable. */
  file: string;
  args: readonly string[];
  cwd: string;
  /** The complete environment: nothing is inherited from the server. */
  env: Record<string, string>;
  uid?: number;
  gid?: number;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

/** How long to wait for output pipes to close after the process is gone (a stray grandchild may hold them). */
const PIPE_GRACE_MS = 500;

/** The reason an aborted signal carries, as an Error. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException(typeof reason === 'string' ? reason : 'The operation was aborted', 'AbortError');
}

/** The first existing path among candidates, e.g. `/usr/bin/bwrap`. */
export function findExecutable(name: string): string | undefined {
  return ['/usr/bin', '/bin', '/usr/local/bin', '/usr/sbin', '/sbin'].map((dir) => `${dir}/${name}`).find((path) => existsSync(path));
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Spawns without a shell in a new process group, caps output, and on timeout or abort kills the
 * whole group with SIGKILL. Rejects only when the process cannot start or the signal aborts it.
 */
export function runProcess(run: ProcessRun): Promise<ExecutionResult> {
  const { signal } = run;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const started = performance.now();
  return new Promise<ExecutionResult>((resolve, reject) => {
    const child = spawn(run.file, run.args, {
      cwd: run.cwd,
      env: run.env,
      shell: false,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: run.uid,
      gid: run.gid,
    });
    const stdout = new CappedOutput(run.maxOutputBytes);
    const stderr = new CappedOutput(run.maxOutputBytes);
    child.stdout.on('data', (chunk: Buffer) => stdout.append(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.append(chunk));
    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;

    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, run.timeoutMs);
    const onAbort = () => killGroup(child.pid);
    signal?.addEventListener('abort', onAbort, { once: true });

    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      if (signal?.aborted) return reject(abortReason(signal));
      const code = exit?.code ?? null;
      const bySignal = exit?.signal ? 128 + (constants.signals[exit.signal] ?? 0) : -1;
      resolve({
        exitCode: code ?? bySignal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        truncated: stdout.truncated || stderr.truncated,
        timedOut,
        durationMs: Math.round(performance.now() - started),
        driver: run.driver,
      });
    };

    child.once('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      killGroup(child.pid);
      reject(error);
    });
    child.once('exit', (code, exitSignal) => {
      exit = { code, signal: exitSignal };
      // Whatever the command left behind in its group goes with it.
      killGroup(child.pid);
      setTimeout(finish, PIPE_GRACE_MS).unref();
    });
    child.once('close', finish);
  });
}
