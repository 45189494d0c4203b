import { chownSync, existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import type { AppConfig } from '@aegis/config';
import { ErrorCode, isRole, Role, roleAtLeast } from '@aegis/contracts';
import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { checkArgv, parseCommand } from './command-parser';
import { BwrapDriver } from './drivers/bwrap.driver';
import { DirectDriver } from './drivers/direct.driver';
import { DEFAULT_DOCKER_SOCKET, DockerDriver } from './drivers/docker.driver';
import { abortReason } from './drivers/process-run';
import {
  ExecutorException,
  type DriverName,
  type ExecutionRequest,
  type ExecutionResult,
  type SandboxDriver,
  type SandboxRunObserver,
  type SandboxRunOutcome,
  type SandboxRunReport,
} from './executor.types';
import { authorizeArgv } from './program-allowlist';
import { MAX_OUTPUT_BYTES, SANDBOX_GID, SANDBOX_UID, SANDBOX_WORKSPACE } from './sandbox-limits';
import { resolveInWorkspace } from './workspace-path';
import { errorMessage } from './error-message';
import { checkGitArguments, checkGitRemotes, checkGitRepository } from './git-safety';
import { WorkspaceLock } from './workspace-lock';

/** What /api/health shows about the sandbox. */
export interface SandboxHealth {
  /** The driver execute() would use, or 'none' when no driver is usable. */
  driver: DriverName | 'none';
  available: boolean;
  /** Why the sandbox is unavailable (or, for direct, why it is unsafe), in words an operator can act on. */
  reason?: string;
}

/** Test and benchmark seams: replace drivers or the Docker socket. Production passes nothing. */
export interface SecureExecutorOptions {
  drivers?: Partial<Record<DriverName, SandboxDriver>>;
  dockerSocketPath?: string;
}

/** What execute() learns while a command makes its way to a sandbox, for the report of how it ended. */
interface RunTrace {
  driver: DriverName | 'none';
  /** performance.now() when the driver started the command. */
  startedAt?: number;
}

function failedOutcome(error: unknown, signal: AbortSignal | undefined, trace: RunTrace): SandboxRunOutcome {
  if (signal?.aborted) return 'cancelled';
  if (trace.startedAt !== undefined) return 'error';
  if (error instanceof ExecutorException) return error.code === ErrorCode.SandboxUnavailable ? 'unavailable' : 'refused';
  return 'error';
}

type Selection = { driver: SandboxDriver; warning?: string } | { driver: undefined; reason: string };

/**
 * The one way to run a command (docs/sandbox.md): argv only, parsed without a shell;
 * a per-role allowlist; the working directory confined to the workspace; a sandbox per command
 * with a mandatory timeout and capped output; refused (fail-closed) when no sandbox is usable.
 */
export class SecureExecutor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SecureExecutor.name);
  private readonly drivers = new Map<DriverName, SandboxDriver>();
  private readonly workspaceLock = new WorkspaceLock();
  private workspaceRoot: string | undefined;
  private warnedDirect = false;
  private readonly observers: SandboxRunObserver[] = [];

  /** `options` replace the drivers in tests; the application passes the configuration only (SandboxExecutorModule). */
  constructor(
    private readonly config: AppConfig,
    private readonly options: SecureExecutorOptions = {},
  ) {}

  /**
   * Validates, confines and runs one command. Refusals throw ExecutorException (COMMAND_REFUSED,
   * PROGRAM_NOT_ALLOWED, PATH_OUTSIDE_WORKSPACE, NOT_FOUND, SANDBOX_UNAVAILABLE) before anything
   * runs; a cancelled run rejects with the signal's reason after its processes are killed.
   */
  async execute(request: ExecutionRequest): Promise<ExecutionResult> {
    const trace: RunTrace = { driver: 'none' };
    if (this.observers.length === 0) return this.run(request, trace);
    try {
      const result = await this.run(request, trace);
      const outcome = result.timedOut ? 'timeout' : result.exitCode === 0 ? 'ok' : 'nonzero_exit';
      this.report({ driver: result.driver, outcome, seconds: result.durationMs / 1000 });
      return result;
    } catch (error) {
      const seconds = trace.startedAt === undefined ? null : (performance.now() - trace.startedAt) / 1000;
      this.report({ driver: trace.driver, outcome: failedOutcome(error, request.signal, trace), seconds });
      throw error;
    }
  }

  /** Tells `observer` how every later command ended (metrics: docs/observability.md). */
  observe(observer: SandboxRunObserver): void {
    this.observers.push(observer);
  }

  private async run(request: ExecutionRequest, trace: RunTrace): Promise<ExecutionResult> {
    if (request.signal?.aborted) throw abortReason(request.signal);
    if (!isRole(request.role)) throw new ExecutorException(ErrorCode.CommandRefused, `Unknown role ${JSON.stringify(request.role)}`);
    const argv = this.argvOf(request);
    authorizeArgv(argv, request.role, { workspaceRoot: this.ensureWorkspace(), cwd: request.cwd });
    const timeoutMs = this.timeoutOf(request.timeoutMs);
    const cwd = this.workingDirectory(request.cwd);
    const isGit = argv[0] === 'git';
    if (isGit) checkGitArguments(argv);
    const workspaceWritable = roleAtLeast(request.role, Role.Operator);
    const driver = await this.driver();
    trace.driver = driver.name;
    // docs/sandbox.md "Git": no command may change a repository between its check and git reading it.
    const release =
      isGit || workspaceWritable ? await this.workspaceLock.acquire(isGit ? 'exclusive' : 'shared', request.signal) : undefined;
    try {
      if (isGit) {
        await driver.settled?.();
        // Resolved again under the lock: a folder swapped for a symbolic link meanwhile would be read differently in the sandbox.
        if (this.workingDirectory(request.cwd) !== cwd) {
          throw new ExecutorException(ErrorCode.CommandRefused, 'The working directory changed while the command waited; run it again');
        }
        checkGitRepository(this.ensureWorkspace(), cwd);
        checkGitRemotes(this.ensureWorkspace(), cwd, argv, SANDBOX_WORKSPACE);
      }
      trace.startedAt = performance.now();
      return await driver.run({ argv, cwd, workspaceWritable, timeoutMs, maxOutputBytes: MAX_OUTPUT_BYTES, signal: request.signal });
    } catch (error) {
      if (request.signal?.aborted || error instanceof ExecutorException) throw error;
      throw new ExecutorException(ErrorCode.SandboxUnavailable, `The ${driver.name} sandbox failed: ${errorMessage(error)}`);
    } finally {
      release?.();
    }
  }

  /** The driver in use and whether it works, for /api/health. Never throws. */
  async sandboxHealth(): Promise<SandboxHealth> {
    try {
      const selection = await this.select();
      if (!selection.driver) return { driver: 'none', available: false, reason: selection.reason };
      return { driver: selection.driver.name, available: true, ...(selection.warning ? { reason: selection.warning } : {}) };
    } catch (error) {
      return { driver: 'none', available: false, reason: errorMessage(error) };
    }
  }

  /** Probes the drivers at start so the Docker pool is warm before the first command. */
  onApplicationBootstrap(): void {
    void this.sandboxHealth().then((health) => {
      if (!health.available) this.logger.warn(`No sandbox is usable; commands will be refused: ${health.reason}`);
      else this.logger.log(`Sandbox driver: ${health.driver}`);
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  /** Releases pooled containers and temporary files. */
  async close(): Promise<void> {
    const drivers = [...this.drivers.values()];
    this.drivers.clear();
    await Promise.all(drivers.map((driver) => driver.close()));
  }

  private report(report: SandboxRunReport): void {
    for (const observer of this.observers) {
      try {
        observer.sandboxRan(report);
      } catch (error) {
        this.logger.error({ err: error }, 'a sandbox run observer failed');
      }
    }
  }

  private argvOf(request: ExecutionRequest): string[] {
    const hasArgv = request.argv !== undefined;
    const hasCommand = request.command !== undefined;
    if (hasArgv === hasCommand) throw new ExecutorException(ErrorCode.CommandRefused, 'Give either argv or command, not both or neither');
    if (hasCommand) {
      if (typeof request.command !== 'string') throw new ExecutorException(ErrorCode.CommandRefused, 'command must be a string');
      return parseCommand(request.command);
    }
    if (!Array.isArray(request.argv)) throw new ExecutorException(ErrorCode.CommandRefused, 'argv must be a list of strings');
    return checkArgv(request.argv as readonly unknown[]);
  }

  private timeoutOf(requested: number | undefined): number {
    const ceiling = this.config.executor.timeoutMs;
    if (requested === undefined) return ceiling;
    if (typeof requested !== 'number' || !Number.isFinite(requested) || requested <= 0) {
      throw new ExecutorException(ErrorCode.CommandRefused, 'timeoutMs must be a positive number of milliseconds');
    }
    return Math.min(Math.ceil(requested), ceiling);
  }

  private workingDirectory(cwd: string | undefined): string {
    const root = this.ensureWorkspace();
    const resolved = resolveInWorkspace(root, cwd ?? '.');
    if (!existsSync(resolved) || !statSync(resolved).isDirectory()) {
      throw new ExecutorException(ErrorCode.NotFound, `The working directory '${cwd}' is not a folder in the workspace`);
    }
    return resolved;
  }

  /**
   * Creates WORKSPACE_DIR when missing. The sandbox user (65534) must be able to write it for
   * operators' commands, so a root server hands the new folder to that user.
   */
  private ensureWorkspace(): string {
    if (this.workspaceRoot && existsSync(this.workspaceRoot)) return this.workspaceRoot;
    const dir = this.config.workspaceDir;
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      if (process.getuid?.() === 0) chownSync(dir, SANDBOX_UID, SANDBOX_GID);
    }
    this.workspaceRoot = realpathSync(dir);
    return this.workspaceRoot;
  }

  private async driver(): Promise<SandboxDriver> {
    const selection = await this.select();
    if (!selection.driver) throw new ExecutorException(ErrorCode.SandboxUnavailable, `No sandbox is available: ${selection.reason}`);
    if (selection.warning && !this.warnedDirect) {
      this.warnedDirect = true;
      this.logger.warn(selection.warning);
    }
    return selection.driver;
  }

  /** EXECUTE_MODE and SANDBOX_DRIVER decide; each driver's probe is cached briefly, so a driver that returns is picked up. */
  private async select(): Promise<Selection> {
    const { mode, driver, allowDirectFallback } = this.config.executor;
    const production = this.config.nodeEnv === 'production';
    if (mode === 'direct') {
      if (production) return { driver: undefined, reason: 'EXECUTE_MODE=direct is refused when NODE_ENV=production' };
      return { driver: this.get('direct'), warning: 'EXECUTE_MODE=direct: commands run on the host WITHOUT a sandbox (development only)' };
    }
    const candidates: DriverName[] = driver === 'auto' ? ['docker', 'bwrap'] : [driver];
    const reasons: string[] = [];
    for (const name of candidates) {
      const candidate = this.get(name);
      const availability = await candidate.availability();
      if (availability.available) return { driver: candidate };
      reasons.push(`${name}: ${availability.reason ?? 'unavailable'}`);
    }
    if (driver === 'auto' && allowDirectFallback && !production) {
      return {
        driver: this.get('direct'),
        warning: `ALLOW_DIRECT_FALLBACK=true and no sandbox is usable (${reasons.join('; ')}): commands run on the host WITHOUT a sandbox`,
      };
    }
    return { driver: undefined, reason: reasons.join('; ') };
  }

  private get(name: DriverName): SandboxDriver {
    const existing = this.drivers.get(name) ?? this.options.drivers?.[name];
    if (existing) {
      this.drivers.set(name, existing);
      return existing;
    }
    const { executor } = this.config;
    const workspaceDir = this.ensureWorkspace();
    let created: SandboxDriver;
    switch (name) {
      case 'docker':
        created = new DockerDriver({
          workspaceDir,
          image: executor.image,
          network: executor.network,
          cpus: executor.cpus,
          memoryMb: executor.memoryMb,
          socketPath: this.options.dockerSocketPath ?? this.config.dockerSocketPath ?? DEFAULT_DOCKER_SOCKET,
        });
        break;
      case 'bwrap':
        created = new BwrapDriver({ workspaceDir, memoryMb: executor.memoryMb });
        break;
      case 'direct':
        created = new DirectDriver();
        break;
    }
    this.drivers.set(name, created);
    return created;
  }
}
