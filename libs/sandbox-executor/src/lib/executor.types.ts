import { AegisError, type ErrorCode, type Role } from '@aegis/contracts';

export type DriverName = 'docker' | 'bwrap' | 'direct';

/** One command to run: argv (preferred) or a command string parsed without a shell. */
export interface ExecutionRequest {
  argv?: readonly string[];
  command?: string;
  role: Role;
  /** Relative to WORKSPACE_DIR; resolved and confined there. Default: the workspace root. */
  cwd?: string;
  /** Capped at SANDBOX_TIMEOUT_MS. */
  timeoutMs?: number;
  justification?: string;
  /** Cancels the run (the whole process tree / container exec is killed). */
  signal?: AbortSignal;
}

export interface ExecutionResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when stdout or stderr hit the output cap and was cut. */
  truncated: boolean;
  timedOut: boolean;
  durationMs: number;
  driver: DriverName;
}

/** What a driver runs: already validated, resolved and confined by SecureExecutor. */
export interface SandboxRun {
  argv: readonly string[];
  /** Absolute host path of the working directory inside the workspace. */
  cwd: string;
  /** Viewers get the workspace read-only. */
  workspaceWritable: boolean;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export interface DriverAvailability {
  available: boolean;
  /** Why not, in words an operator can act on. */
  reason?: string;
}

/** A way to run one command in isolation; every driver enforces timeout, output cap and a clean environment. */
export interface SandboxDriver {
  readonly name: DriverName;
  availability(): Promise<DriverAvailability>;
  run(run: SandboxRun): Promise<ExecutionResult>;
  /**
   * Resolves once no process of a command whose run() already returned can still run. Drivers
   * whose run() returns only after the sandbox's processes are gone (bwrap, direct) omit it.
   */
  settled?(): Promise<void>;
  /** Releases pooled resources (containers). */
  close(): Promise<void>;
}

/** How one command given to SecureExecutor ended (docs/observability.md "Sandbox"). */
export type SandboxRunOutcome = 'ok' | 'nonzero_exit' | 'timeout' | 'refused' | 'unavailable' | 'error' | 'cancelled';

/** One command's end, for metrics: no argv, no output, nothing a label could explode on. */
export interface SandboxRunReport {
  /** The driver that ran it, or 'none' when it was refused before any sandbox was chosen. */
  driver: DriverName | 'none';
  outcome: SandboxRunOutcome;
  /** Time inside the sandbox; null when nothing ran. */
  seconds: number | null;
}

/** Told of every command's end; must be cheap and must not throw (SecureExecutor logs and ignores a throw). */
export interface SandboxRunObserver {
  sandboxRan(report: SandboxRunReport): void;
}

/** Refusals and failures of the executor; `code` is stable for clients, `message` says why. */
export class ExecutorException extends AegisError {
  constructor(code: ErrorCode, message: string, details?: string[]) {
    super(code, message, details);
  }
}
