import {
  dockerUnreachableReason,
  hostAvailability,
  MAX_OUTPUT_BYTES,
  SANDBOX_PIDS_LIMIT,
  SANDBOX_TMPFS_BYTES,
  SANDBOX_UID,
  type SandboxHealth,
  SecureExecutor,
} from '@aegis/sandbox-executor';
import type { Provider } from '@nestjs/common';

export type { SandboxHealth };
/** Docker's "cannot connect" errors in words, for callers that talk to the daemon for reading only. */
export { dockerUnreachableReason };
/** Whether the host's systemd and apt are there for the host tools (read-only: it runs nothing). */
export { hostAvailability };
/** The uid sandboxed commands run as: the workspace's owner (docs/sandbox.md "Workspace ownership"). */
export { SANDBOX_UID };

/**
 * What the rest of the application may know of the sandbox: whether it can run commands and its
 * fixed limits. The executor itself stays inside governance, the one door (docs/governance.md).
 */
export interface SandboxStatus {
  health(): Promise<SandboxHealth>;
  readonly limits: { pidsLimit: number; tmpBytes: number; maxOutputBytes: number };
}

export const SANDBOX_STATUS = Symbol('SANDBOX_STATUS');

export const sandboxStatusProvider: Provider = {
  provide: SANDBOX_STATUS,
  inject: [SecureExecutor],
  useFactory: (executor: SecureExecutor): SandboxStatus => ({
    health: () => executor.sandboxHealth(),
    limits: { pidsLimit: SANDBOX_PIDS_LIMIT, tmpBytes: SANDBOX_TMPFS_BYTES, maxOutputBytes: MAX_OUTPUT_BYTES },
  }),
};
