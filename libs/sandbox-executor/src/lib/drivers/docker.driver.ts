import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '@aegis/contracts';
import Docker from 'dockerode';
import { ExecutorException, type DriverAvailability, type ExecutionResult, type SandboxDriver, type SandboxRun } from '../executor.types';
import {
  KILLED_EXIT_CODE,
  SANDBOX_FILE_SIZE_BYTES,
  SANDBOX_GID,
  SANDBOX_OPEN_FILES,
  SANDBOX_PIDS_LIMIT,
  SANDBOX_TMPFS_BYTES,
  SANDBOX_UID,
  SANDBOX_WORKSPACE,
  sandboxEnvList,
} from '../sandbox-limits';
import { gitSafetyConfigText, SANDBOX_GIT_CONFIG } from '../git-safety-config';
import { toSandboxPath } from '../workspace-path';
import { AvailabilityCache } from './availability-cache';
import { CappedOutput } from './capped-output';
import { ContainerPool, type PooledContainer } from './container-pool';
import { abortReason } from './process-run';
import { errorMessage } from '../error-message';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export interface DockerDriverOptions {
  /** Real path of WORKSPACE_DIR: the only host folder a container sees. */
  workspaceDir: string;
  image: string;
  network: 'none' | 'bridge';
  cpus: number;
  memoryMb: number;
  socketPath?: string;
  /** Containers kept started per workspace mode (read-only, read-write). */
  poolSize?: number;
  /** Most containers per mode under load. */
  maxPoolSize?: number;
  /** Commands per container before it is replaced. */
  maxUses?: number;
}

/** Labels every sandbox container carries: the owner lets a restarted server remove what a crashed one left. */
const LABEL = 'aegis.sandbox';
const OWNER_LABEL = 'aegis.sandbox.owner';
const PING_TIMEOUT_MS = 2000;
const USER = `${SANDBOX_UID}:${SANDBOX_GID}`;
/**
 * Empties the folders a command can write outside the workspace, as the sandbox user (it owns
 * everything there), and fails unless they are empty: dot files, read-only folders and all.
 */
const WIPE_SCRIPT = [
  'for dir in /tmp /dev/shm; do',
  '  [ -d "$dir" ] || continue',
  // find neither follows symbolic links nor leaves the folder; a folder is opened after its chmod.
  '  find "$dir" -mindepth 1 -type d ! -perm -700 -exec chmod u+rwx {} \\; 2>/dev/null',
  '  rm -rf "$dir"/* "$dir"/.[!.]* "$dir"/..?*',
  '  [ -z "$(ls -A "$dir")" ] || exit 1',
  'done',
].join('\n');
const WIPE_TIMEOUT_MS = 10_000;

interface SandboxContainer extends PooledContainer {
  container: Docker.Container;
}

/**
 * Docker: hardened containers (no network, CPU, memory and pids limits, read-only root, no
 * capabilities, no-new-privileges, uid 65534, tmpfs /tmp, only the workspace mounted) kept in two
 * small pools, one mounting the workspace read-only (viewers) and one read-write (operators,
 * admins). A command is a `docker exec` into a pooled container; a timeout or cancel kills the
 * container (docker exec cannot be killed on its own), and the pool starts a replacement. Before
 * a container serves again its /tmp (HOME) and /dev/shm are emptied, off the caller's path.
 */
export class DockerDriver implements SandboxDriver {
  readonly name = 'docker' as const;
  readonly socketPath: string;
  private readonly docker: Docker;
  private readonly probeClient: Docker;
  private readonly cache = new AvailabilityCache(() => this.probe());
  private readonly pools: Record<'ro' | 'rw', ContainerPool<SandboxContainer>>;
  private readonly owner = `${hostname()}:${process.pid}`;
  private staleRemoved = false;
  private gitConfigDir: string | undefined;

  constructor(private readonly options: DockerDriverOptions) {
    this.socketPath = options.socketPath ?? DEFAULT_DOCKER_SOCKET;
    this.docker = new Docker({ socketPath: this.socketPath });
    this.probeClient = new Docker({ socketPath: this.socketPath, timeout: PING_TIMEOUT_MS });
    const poolOptions = { size: options.poolSize ?? 2, maxSize: options.maxPoolSize ?? 6, maxUses: options.maxUses ?? 50 };
    const pool = (writable: boolean) =>
      new ContainerPool<SandboxContainer>(
        writable ? 'read-write' : 'read-only',
        {
          start: () => this.startContainer(writable),
          destroy: (entry) => this.removeContainer(entry.container),
          recycle: (entry) => this.recycle(entry.container),
        },
        poolOptions,
      );
    this.pools = { ro: pool(false), rw: pool(true) };
  }

  /** Daemon answers and the image exists; when so, the pools are (re)filled in the background. */
  async availability(): Promise<DriverAvailability> {
    const availability = await this.cache.get();
    if (availability.available) this.warm();
    return availability;
  }

  /** Starts the pools' containers in the background. */
  warm(): void {
    this.pools.ro.warm();
    this.pools.rw.warm();
  }

  async run(run: SandboxRun): Promise<ExecutionResult> {
    const availability = await this.availability();
    if (!availability.available) throw new ExecutorException(ErrorCode.SandboxUnavailable, availability.reason ?? 'Docker is not usable');
    const pool = this.pools[run.workspaceWritable ? 'rw' : 'ro'];
    const workingDir = toSandboxPath(this.options.workspaceDir, run.cwd);
    // One retry: a pooled container may have died (out of memory) since it was last used.
    for (let attempt = 1; ; attempt++) {
      const entry = await this.acquire(pool, run.signal);
      let exec: Docker.Exec;
      try {
        exec = await entry.container.exec({
          Cmd: [...run.argv],
          AttachStdin: false,
          AttachStdout: true,
          AttachStderr: true,
          Tty: false,
          Env: sandboxEnvList(),
          User: USER,
          WorkingDir: workingDir,
        });
      } catch (error) {
        pool.release(entry, false);
        if (attempt < 2) continue;
        throw this.unavailable(error);
      }
      let outcome: { result: ExecutionResult; reusable: boolean };
      try {
        outcome = await this.runExec(entry, exec, run);
      } catch (error) {
        pool.release(entry, false);
        throw error;
      }
      pool.release(entry, outcome.reusable);
      if (run.signal?.aborted) throw abortReason(run.signal);
      return outcome.result;
    }
  }

  /** Resolves once no process of a command that already returned can still run (its container recycled or removed). */
  async settled(): Promise<void> {
    await Promise.all([this.pools.ro.settled(), this.pools.rw.settled()]);
  }

  async close(): Promise<void> {
    await Promise.all([this.pools.ro.close(), this.pools.rw.close()]);
    if (this.gitConfigDir) rmSync(this.gitConfigDir, { recursive: true, force: true });
    this.gitConfigDir = undefined;
  }

  /** The host-config flags of every sandbox container (exposed for the benchmark's `docker run`). */
  hostConfig(writable: boolean): Docker.HostConfig {
    const memory = this.options.memoryMb * 1024 * 1024;
    return {
      Init: true,
      NetworkMode: this.options.network,
      NanoCpus: Math.round(this.options.cpus * 1e9),
      Memory: memory,
      MemorySwap: memory,
      PidsLimit: SANDBOX_PIDS_LIMIT,
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      IpcMode: 'private',
      Mounts: [
        { Type: 'bind', Source: this.options.workspaceDir, Target: SANDBOX_WORKSPACE, ReadOnly: !writable },
        { Type: 'bind', Source: this.gitConfigFile(), Target: SANDBOX_GIT_CONFIG, ReadOnly: true },
      ],
      Tmpfs: { '/tmp': `rw,nosuid,nodev,noexec,size=${SANDBOX_TMPFS_BYTES},mode=1777` },
      Ulimits: [
        { Name: 'nofile', Soft: SANDBOX_OPEN_FILES, Hard: SANDBOX_OPEN_FILES },
        { Name: 'fsize', Soft: SANDBOX_FILE_SIZE_BYTES, Hard: SANDBOX_FILE_SIZE_BYTES },
        { Name: 'core', Soft: 0, Hard: 0 },
      ],
      AutoRemove: true,
    };
  }

  private async acquire(pool: ContainerPool<SandboxContainer>, signal: AbortSignal | undefined): Promise<SandboxContainer> {
    try {
      return await pool.acquire(signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      throw this.unavailable(error);
    }
  }

  private async runExec(
    entry: SandboxContainer,
    exec: Docker.Exec,
    run: SandboxRun,
  ): Promise<{ result: ExecutionResult; reusable: boolean }> {
    const started = performance.now();
    const stdout = new CappedOutput(run.maxOutputBytes);
    const stderr = new CappedOutput(run.maxOutputBytes);
    let timedOut = false;
    let killed = false;
    const kill = () => {
      killed = true;
      // Killing the container is the only way to end an exec and everything it started.
      entry.container.kill().catch(() => undefined);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, run.timeoutMs);
    run.signal?.addEventListener('abort', kill, { once: true });
    try {
      let stream: Duplex;
      try {
        stream = await exec.start({ hijack: true, stdin: false });
      } catch (error) {
        if (killed) return { result: this.result(started, stdout, stderr, KILLED_EXIT_CODE, timedOut), reusable: false };
        throw this.unavailable(error);
      }
      await new Promise<void>((resolve) => {
        this.docker.modem.demuxStream(stream, stdout, stderr);
        stream.once('end', resolve);
        stream.once('close', resolve);
        stream.once('error', () => resolve());
        if (killed) stream.destroy();
      });
      if (killed) return { result: this.result(started, stdout, stderr, KILLED_EXIT_CODE, timedOut), reusable: false };
      const exitCode = await this.exitCodeOf(exec);
      // 137: the kernel's OOM killer (or a kill) hit the container; do not trust it again.
      return { result: this.result(started, stdout, stderr, exitCode, false), reusable: exitCode !== KILLED_EXIT_CODE && exitCode >= 0 };
    } finally {
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', kill);
    }
  }

  private result(started: number, stdout: CappedOutput, stderr: CappedOutput, exitCode: number, timedOut: boolean): ExecutionResult {
    return {
      exitCode,
      stdout: stdout.text(),
      stderr: stderr.text(),
      truncated: stdout.truncated || stderr.truncated,
      timedOut,
      durationMs: Math.round(performance.now() - started),
      driver: this.name,
    };
  }

  /** The exec's exit code; Docker may report it a moment after the stream ends. */
  private async exitCodeOf(exec: Docker.Exec): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const info = await exec.inspect();
      if (!info.Running && typeof info.ExitCode === 'number') return info.ExitCode;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return -1;
  }

  private async startContainer(writable: boolean): Promise<SandboxContainer> {
    await this.removeStaleContainers();
    const container = await this.docker.createContainer({
      Image: this.options.image,
      Cmd: ['/bin/sleep', '2147483647'],
      User: USER,
      Env: sandboxEnvList(),
      WorkingDir: SANDBOX_WORKSPACE,
      NetworkDisabled: this.options.network === 'none',
      Labels: { [LABEL]: 'true', [OWNER_LABEL]: this.owner, [`${LABEL}.workspace`]: writable ? 'rw' : 'ro' },
      HostConfig: this.hostConfig(writable),
    });
    try {
      await container.start();
    } catch (error) {
      await this.removeContainer(container);
      throw error;
    }
    return { id: container.id, uses: 0, container };
  }

  private async removeContainer(container: Docker.Container): Promise<void> {
    try {
      await container.remove({ force: true });
    } catch {
      // AutoRemove may already be removing it
    }
  }

  /** Nothing but the init and its sleep may remain after a command (a background process would outlive it). */
  private async isClean(container: Docker.Container): Promise<boolean> {
    const top = (await container.top()) as { Processes?: unknown[] };
    return (top.Processes?.length ?? 0) <= 2;
  }

  /** No process left, then /tmp and /dev/shm emptied: what one command leaves is never seen by the next. */
  private async recycle(container: Docker.Container): Promise<boolean> {
    if (!(await this.isClean(container))) return false;
    const exec = await container.exec({
      Cmd: ['/bin/sh', '-c', WIPE_SCRIPT],
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      Env: sandboxEnvList(),
      User: USER,
      WorkingDir: '/',
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const ended = new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => resolve());
      stream.resume();
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), WIPE_TIMEOUT_MS);
    });
    const late = await Promise.race([ended.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      stream.destroy();
      return false;
    }
    return (await this.exitCodeOf(exec)) === 0;
  }

  /** The host file bound read-only at SANDBOX_GIT_CONFIG in every container (git's safety settings). */
  private gitConfigFile(): string {
    if (!this.gitConfigDir) {
      this.gitConfigDir = mkdtempSync(join(tmpdir(), 'aegis-docker-git-'));
      chmodSync(this.gitConfigDir, 0o755);
      writeFileSync(join(this.gitConfigDir, 'gitconfig'), gitSafetyConfigText(), { mode: 0o644 });
    }
    return join(this.gitConfigDir, 'gitconfig');
  }

  /** Removes sandbox containers a crashed Aegis process on this host left running. */
  private async removeStaleContainers(): Promise<void> {
    if (this.staleRemoved) return;
    this.staleRemoved = true;
    const containers = await this.docker.listContainers({ all: true, filters: { label: [LABEL] } });
    const host = hostname();
    await Promise.all(
      containers.map(async (info) => {
        const [ownerHost, ownerPid] = (info.Labels[OWNER_LABEL] ?? '').split(':');
        if (ownerHost !== host || !ownerPid || processAlive(Number(ownerPid))) return;
        await this.removeContainer(this.docker.getContainer(info.Id));
      }),
    );
  }

  private async probe(): Promise<DriverAvailability> {
    try {
      await this.probeClient.ping();
    } catch (error) {
      return { available: false, reason: `Docker daemon not reachable at ${this.socketPath}: ${errorMessage(error)}` };
    }
    try {
      await this.probeClient.getImage(this.options.image).inspect();
    } catch {
      return { available: false, reason: `the sandbox image ${this.options.image} is missing: build it with scripts/sandbox-image.sh` };
    }
    return { available: true };
  }

  private unavailable(error: unknown): ExecutorException {
    this.cache.invalidate();
    const message = errorMessage(error);
    const unreachable = /ENOENT|ECONNREFUSED|EACCES|socket hang up|connect/i.test(message);
    return new ExecutorException(
      ErrorCode.SandboxUnavailable,
      unreachable ? `Docker daemon not reachable at ${this.socketPath}: ${message}` : `the Docker sandbox failed: ${message}`,
    );
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
