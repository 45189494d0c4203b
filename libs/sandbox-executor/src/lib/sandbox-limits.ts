import { gitSafetyEnvironment, SANDBOX_GIT_CONFIG } from './git-safety-config';

/** Limits and names every driver shares (docs/sandbox.md). */

/** Per stream: stdout and stderr are each cut at 1 MiB and the result is marked truncated. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

/** The unprivileged user a sandboxed command runs as (Debian's `nobody`). */
export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;

/** Where the workspace appears inside a sandbox. */
export const SANDBOX_WORKSPACE = '/workspace';

/**
 * The whole environment of a sandboxed command: nothing of the server's is inherited. HOME is the
 * sandbox's /tmp, which is empty at the start of every command (docs/sandbox.md "Per-call /tmp
 * and HOME"); git reads no config from it (GIT_CONFIG_GLOBAL is the executor's file).
 */
export const SANDBOX_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
  HOME: '/tmp',
  ...gitSafetyEnvironment(SANDBOX_GIT_CONFIG),
};

/** Processes (and threads) one sandbox may hold at a time. */
export const SANDBOX_PIDS_LIMIT = 64;

/** Size of the sandbox's private /tmp (tmpfs lives in memory, so it is bounded separately). */
export const SANDBOX_TMPFS_BYTES = 64 * 1024 * 1024;

/** Largest file a sandboxed command may write (bwrap: RLIMIT_FSIZE). */
export const SANDBOX_FILE_SIZE_BYTES = 1024 * 1024 * 1024;

/** Open files per process (bwrap: RLIMIT_NOFILE). */
export const SANDBOX_OPEN_FILES = 256;

/** The exit code reported for a command killed by SIGKILL (timeout, cancel, out of memory): 128 + 9. */
export const KILLED_EXIT_CODE = 137;

/** SANDBOX_ENV as `KEY=value` lines, for Docker. */
export function sandboxEnvList(): string[] {
  return Object.entries(SANDBOX_ENV).map(([key, value]) => `${key}=${value}`);
}
