import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DriverAvailability, ExecutionResult, SandboxDriver, SandboxRun } from './executor.types';
import { SANDBOX_GID, SANDBOX_UID } from './sandbox-limits';

/**
 * Helpers for the executor's specs and the benchmark (not exported from the lib).
 * A workspace the sandbox user can reach and write, as WORKSPACE_DIR would be in production.
 */
export function createSandboxWorkspace(prefix = 'aegis-sandbox-'): string {
  const base = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(base, 0o755);
  const workspace = join(base, 'workspace');
  mkdirSync(workspace);
  if (process.getuid?.() === 0) chownSync(workspace, SANDBOX_UID, SANDBOX_GID);
  else chmodSync(workspace, 0o777);
  return workspace;
}

/** Removes a workspace made by createSandboxWorkspace, with its temporary parent. */
export function removeSandboxWorkspace(workspace: string): void {
  rmSync(dirname(workspace), { recursive: true, force: true });
}

/** Builds (or confirms) the sandbox image with scripts/sandbox-image.sh. */
export function ensureSandboxImage(image: string): void {
  const root = join(__dirname, '..', '..', '..', '..');
  execFileSync(join(root, 'scripts', 'sandbox-image.sh'), [image], { stdio: 'pipe' });
}

/** Host processes whose argv is exactly `argv` (a sandbox's processes are visible from the host). */
export function hostProcessesRunning(argv: readonly string[]): number[] {
  const wanted = `${argv.join('\0')}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8') === wanted) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** A real driver that counts what reaches it: a refused payload must not even probe it. */
export class CountingDriver implements SandboxDriver {
  readonly name = 'direct' as const;
  runs = 0;
  probes = 0;
  constructor(private readonly inner: SandboxDriver) {}
  availability(): Promise<DriverAvailability> {
    this.probes += 1;
    return this.inner.availability();
  }
  run(run: SandboxRun): Promise<ExecutionResult> {
    this.runs += 1;
    return this.inner.run(run);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
