import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '@aegis/contracts';
import { ExecutorException } from '../executor.types';

/**
 * The only programs the systemd and apt tools start on the host, outside any sandbox: a sandbox
 * has neither the host's systemd bus nor root nor the network, so these cannot run inside one.
 */
export const HOST_PROGRAMS = ['systemctl', 'journalctl', 'apt-get', 'dpkg-query'] as const;
export type HostProgram = (typeof HOST_PROGRAMS)[number];

const HOST_PATH = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The whole environment of a host command: nothing of the API's own environment (secrets) leaks in. */
export const HOST_ENVIRONMENT: Readonly<Record<string, string>> = {
  PATH: HOST_PATH.join(':'),
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  SYSTEMD_PAGER: '',
  SYSTEMD_COLORS: '0',
  DEBIAN_FRONTEND: 'noninteractive',
};

const HOST_OUTPUT_CAP_BYTES = 1024 * 1024;

export interface HostAvailability {
  available: boolean;
  /** Why not, in words an operator can act on. */
  reason?: string;
}

export interface HostCommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: boolean;
  durationMs: number;
}

export interface HostRunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The host's systemd and apt, as far as the tools may reach them. */
export interface HostSystem {
  systemd(): HostAvailability;
  apt(): HostAvailability;
  /** Runs one of HOST_PROGRAMS with argv only (no shell), HOST_ENVIRONMENT, a timeout and capped output. */
  run(program: HostProgram, args: readonly string[], options: HostRunOptions): Promise<HostCommandResult>;
}

export interface HostSystemOptions {
  /** APT_TOOLS_ENABLED: apt runs as root on the host, so it is off unless an operator turns it on. */
  aptEnabled: boolean;
  /** Exists when systemd is the init system (sd_booted(3)). */
  systemdRuntimeDir?: string;
}

/** The absolute path of a host program in the fixed search path, or undefined. */
export function findHostProgram(program: string): string | undefined {
  for (const dir of HOST_PATH) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function append(chunks: Buffer[], size: { bytes: number; truncated: boolean }, chunk: Buffer): void {
  const room = HOST_OUTPUT_CAP_BYTES - size.bytes;
  if (room <= 0) {
    size.truncated = true;
    return;
  }
  const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
  if (kept.length < chunk.length) size.truncated = true;
  chunks.push(kept);
  size.bytes += kept.length;
}

/** Spawns one fixed host program in its own process group, killed as a group on timeout or abort. */
export function runHostProgram(program: HostProgram, args: readonly string[], options: HostRunOptions): Promise<HostCommandResult> {
  if (!(HOST_PROGRAMS as readonly string[]).includes(program)) {
    return Promise.reject(new ExecutorException(ErrorCode.ProgramNotAllowed, `'${program}' is not a host program the tools may run`));
  }
  const executable = findHostProgram(program);
  if (!executable) {
    return Promise.reject(new ExecutorException(ErrorCode.CapabilityUnavailable, `${program} is not installed on this host`));
  }
  if (options.signal?.aborted) return Promise.reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted'));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(executable, [...args], {
      shell: false,
      env: { ...HOST_ENVIRONMENT },
      cwd: '/',
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const size = { bytes: 0, truncated: false };
    let timedOut = false;
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = () => killGroup();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => append(stdout, size, chunk));
    child.stderr.on('data', (chunk: Buffer) => append(stderr, size, chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(new ExecutorException(ErrorCode.CapabilityUnavailable, `${program} could not be started: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) {
        reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted'));
        return;
      }
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
        truncated: size.truncated,
        durationMs: Date.now() - started,
      });
    });
  });
}

/** Whether the host's systemd and apt are there for the tools: read-only, it runs nothing. */
export function hostAvailability(options: HostSystemOptions): Pick<HostSystem, 'systemd' | 'apt'> {
  const systemdRuntimeDir = options.systemdRuntimeDir ?? '/run/systemd/system';
  return {
    systemd() {
      if (!existsSync(systemdRuntimeDir)) return { available: false, reason: 'systemd is not available on this host' };
      if (!findHostProgram('systemctl')) return { available: false, reason: 'systemctl is not installed on this host' };
      return { available: true };
    },
    apt() {
      if (!options.aptEnabled) {
        return { available: false, reason: 'apt tools are disabled on this server (APT_TOOLS_ENABLED=false)' };
      }
      if (!findHostProgram('apt-get') || !findHostProgram('dpkg-query')) {
        return { available: false, reason: 'apt is not available on this host (apt-get or dpkg-query missing)' };
      }
      const uid = process.getuid?.();
      if (uid !== 0) return { available: false, reason: `apt needs root on the host; the server runs as uid ${uid ?? 'unknown'}` };
      return { available: true };
    },
  };
}

/** The real host: systemd when it is PID 1's init, apt when enabled, running as root and installed. */
export function createHostSystem(options: HostSystemOptions): HostSystem {
  return { ...hostAvailability(options), run: runHostProgram };
}
