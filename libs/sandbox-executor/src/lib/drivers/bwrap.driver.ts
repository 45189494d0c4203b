import { execFile } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ErrorCode } from '@aegis/contracts';
import { ExecutorException, type DriverAvailability, type ExecutionResult, type SandboxDriver, type SandboxRun } from '../executor.types';
import {
  SANDBOX_ENV,
  SANDBOX_FILE_SIZE_BYTES,
  SANDBOX_GID,
  SANDBOX_OPEN_FILES,
  SANDBOX_PIDS_LIMIT,
  SANDBOX_TMPFS_BYTES,
  SANDBOX_UID,
  SANDBOX_WORKSPACE,
} from '../sandbox-limits';
import { gitSafetyConfigText, SANDBOX_GIT_CONFIG } from '../git-safety-config';
import { toSandboxPath } from '../workspace-path';
import { AvailabilityCache } from './availability-cache';
import { findExecutable, runProcess } from './process-run';
import { errorMessage } from '../error-message';

const execFileAsync = promisify(execFile);

export interface BwrapDriverOptions {
  /** Real path of WORKSPACE_DIR: the only host folder the sandbox sees. */
  workspaceDir: string;
  /** RLIMIT_AS of every sandboxed process. */
  memoryMb: number;
  /** Defaults to bwrap on the usual PATH directories. */
  bwrapPath?: string;
}

/** Host folders a program needs to load: bound read-only (or recreated as the same symlink, on merged-/usr systems). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/** The only parts of the host's /etc a sandbox sees. */
const ETC_FILES = ['/etc/ld.so.cache', '/etc/alternatives', '/etc/localtime'];

/**
 * bubblewrap: every namespace unshared (no network), all capabilities dropped, read-only root,
 * uid 65534, a private /tmp (a new tmpfs per command, also HOME), the workspace at /workspace (read-only for viewers), rlimits via
 * prlimit. When the server runs as root, bwrap itself is started as 65534 so the sandbox is
 * `nobody` on the host too and RLIMIT_NPROC applies (the kernel does not enforce it for root).
 */
export class BwrapDriver implements SandboxDriver {
  readonly name = 'bwrap' as const;
  private readonly bwrap: string | undefined;
  private readonly prlimit = findExecutable('prlimit');
  private readonly cache = new AvailabilityCache(() => this.probe());
  private readonly runAsNobody = process.getuid?.() === 0;
  private readonly systemMounts = systemMounts();
  private etcDir: string | undefined;
  private supportsDisableUserns = false;

  constructor(private readonly options: BwrapDriverOptions) {
    this.bwrap = options.bwrapPath ?? findExecutable('bwrap');
  }

  availability(): Promise<DriverAvailability> {
    return this.cache.get();
  }

  async run(run: SandboxRun): Promise<ExecutionResult> {
    const availability = await this.availability();
    if (!availability.available)
      throw new ExecutorException(ErrorCode.SandboxUnavailable, `bubblewrap is not usable: ${availability.reason}`);
    const command = this.command(run);
    try {
      return await runProcess({
        driver: this.name,
        ...command,
        cwd: '/',
        env: {},
        uid: this.runAsNobody ? SANDBOX_UID : undefined,
        gid: this.runAsNobody ? SANDBOX_GID : undefined,
        timeoutMs: run.timeoutMs,
        maxOutputBytes: run.maxOutputBytes,
        signal: run.signal,
      });
    } catch (error) {
      if (run.signal?.aborted) throw error;
      this.cache.invalidate();
      throw new ExecutorException(ErrorCode.SandboxUnavailable, `bubblewrap could not start: ${errorMessage(error)}`);
    }
  }

  close(): Promise<void> {
    if (this.etcDir) rmSync(this.etcDir, { recursive: true, force: true });
    this.etcDir = undefined;
    return Promise.resolve();
  }

  /** prlimit … -- bwrap … -- argv: the exact host command line for one run (exposed for the benchmark). */
  command(run: Pick<SandboxRun, 'argv' | 'cwd' | 'workspaceWritable' | 'timeoutMs'>): { file: string; args: string[] } {
    if (!this.bwrap || !this.prlimit) throw new ExecutorException(ErrorCode.SandboxUnavailable, 'bwrap or prlimit is not installed');
    const cpuSeconds = Math.ceil(run.timeoutMs / 1000) + 1;
    const limits = [
      `--as=${this.options.memoryMb * 1024 * 1024}`,
      `--cpu=${cpuSeconds}`,
      `--nproc=${SANDBOX_PIDS_LIMIT}`,
      `--fsize=${SANDBOX_FILE_SIZE_BYTES}`,
      `--nofile=${SANDBOX_OPEN_FILES}`,
      '--core=0',
    ];
    const etc = this.syntheticEtc();
    const args = [
      ...limits,
      '--',
      this.bwrap,
      '--unshare-all',
      '--unshare-user',
      ...(this.supportsDisableUserns ? ['--disable-userns'] : []),
      '--die-with-parent',
      // The command is the namespace's init: bwrap's own init would outlive the outer bwrap as a
      // zombie until the host's PID 1 reaps it, and zombies count against RLIMIT_NPROC.
      '--as-pid-1',
      '--new-session',
      '--cap-drop',
      'ALL',
      '--hostname',
      'aegis-sandbox',
      '--clearenv',
      ...Object.entries(SANDBOX_ENV).flatMap(([key, value]) => ['--setenv', key, value]),
      ...this.systemMounts,
      ...ETC_FILES.flatMap((path) => ['--ro-bind-try', path, path]),
      '--ro-bind',
      join(etc, 'passwd'),
      '/etc/passwd',
      '--ro-bind',
      join(etc, 'group'),
      '/etc/group',
      '--ro-bind',
      join(etc, 'gitconfig'),
      SANDBOX_GIT_CONFIG,
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--size',
      String(SANDBOX_TMPFS_BYTES),
      '--tmpfs',
      '/tmp',
      run.workspaceWritable ? '--bind' : '--ro-bind',
      this.options.workspaceDir,
      SANDBOX_WORKSPACE,
      '--remount-ro',
      '/',
      '--chdir',
      toSandboxPath(this.options.workspaceDir, run.cwd),
      '--uid',
      String(SANDBOX_UID),
      '--gid',
      String(SANDBOX_GID),
      '--',
      ...run.argv,
    ];
    return { file: this.prlimit, args };
  }

  private async probe(): Promise<DriverAvailability> {
    if (!this.bwrap) return { available: false, reason: 'bwrap is not installed (Debian: apt-get install bubblewrap)' };
    if (!this.prlimit) return { available: false, reason: 'prlimit is not installed (Debian: util-linux)' };
    let version: string;
    try {
      version = (await execFileAsync(this.bwrap, ['--version'], { env: {}, timeout: 5000 })).stdout.trim();
    } catch (error) {
      return { available: false, reason: `'bwrap --version' failed: ${errorMessage(error)}` };
    }
    const [major = 0, minor = 0] = (/(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
    if (major === 0 && minor < 7) return { available: false, reason: `${version} is too old: bubblewrap 0.7 or later is needed (--size)` };
    this.supportsDisableUserns = major > 0 || minor >= 8;
    if (!existsSync(this.options.workspaceDir))
      return { available: false, reason: `the workspace ${this.options.workspaceDir} does not exist` };
    const result = await runProcess({
      driver: this.name,
      ...this.command({ argv: ['true'], cwd: this.options.workspaceDir, workspaceWritable: false, timeoutMs: 5000 }),
      cwd: '/',
      env: {},
      uid: this.runAsNobody ? SANDBOX_UID : undefined,
      gid: this.runAsNobody ? SANDBOX_GID : undefined,
      timeoutMs: 5000,
      maxOutputBytes: 64 * 1024,
    });
    if (result.exitCode !== 0) {
      const user = this.runAsNobody
        ? ` (bwrap runs as uid ${SANDBOX_UID}: user namespaces must be allowed and the workspace reachable by it)`
        : '';
      return {
        available: false,
        reason: `a trivial bubblewrap sandbox failed with exit code ${result.exitCode}${user}: ${result.stderr.trim()}`,
      };
    }
    return { available: true };
  }

  /** /etc/passwd and /etc/group that name only root and nobody (the host's accounts stay invisible), and git's safety settings. */
  private syntheticEtc(): string {
    if (this.etcDir && existsSync(this.etcDir)) return this.etcDir;
    const dir = mkdtempSync(join(tmpdir(), 'aegis-bwrap-etc-'));
    chmodSync(dir, 0o755);
    writeFileSync(
      join(dir, 'passwd'),
      `root:x:0:0:root:/root:/bin/false\nnobody:x:${SANDBOX_UID}:${SANDBOX_GID}:nobody:/tmp:/bin/false\n`,
      { mode: 0o644 },
    );
    writeFileSync(join(dir, 'group'), `root:x:0:\nnogroup:x:${SANDBOX_GID}:\n`, { mode: 0o644 });
    writeFileSync(join(dir, 'gitconfig'), gitSafetyConfigText(), { mode: 0o644 });
    this.etcDir = dir;
    return dir;
  }
}

function systemMounts(): string[] {
  return SYSTEM_DIRS.flatMap((path) => {
    if (!existsSync(path)) return [];
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return ['--symlink', readlinkSync(path), path];
    return ['--ro-bind', path, path];
  });
}
