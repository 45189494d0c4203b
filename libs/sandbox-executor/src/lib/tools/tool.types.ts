import type { ActionClass, Role } from '@aegis/contracts';
import type Dockerode from 'dockerode';
import type { z } from 'zod';
import type { ExecutionRequest, ExecutionResult } from '../executor.types';
import type { HostSystem } from './host-system';

/** The one public method of SecureExecutor the tools use: every program a tool runs goes through it. */
export interface CommandRunner {
  execute(request: ExecutionRequest): Promise<ExecutionResult>;
}

/** Docker access for the docker tools: the daemon's API (never the CLI) and the containers they may touch. */
export interface DockerAccess {
  client: Dockerode;
  /** Container names (without the leading `/`) the docker tools may see, read and restart. */
  containers: readonly string[];
}

/** What every tool run shares, fixed when the catalog is built. */
export interface ToolEnvironment {
  /** WORKSPACE_DIR: every path argument is confined here. */
  workspaceDir: string;
  runner: CommandRunner;
  /** Absent: the docker tools answer CAPABILITY_UNAVAILABLE. */
  docker?: DockerAccess;
  /** Unit names (`nginx.service`) the systemd tools may query and restart; empty refuses every unit. */
  systemdUnits: readonly string[];
  /** The host's systemd and apt, reached without a sandbox by fixed argv only (docs/tools.md). */
  host: HostSystem;
}

/** Who runs a tool now, and how to stop it. */
export interface ToolInvocation {
  role: Role;
  signal?: AbortSignal;
  /** Passed on to the executor with each command (governance has already checked it). */
  justification?: string;
}

export type ToolContext = ToolEnvironment & ToolInvocation;

/** How a tool proved its action took effect (docs/governance.md "Verification": MODERATE and above). */
export interface ToolVerification {
  verified: boolean;
  /** What was checked, and what was found. */
  detail: string;
}

/** What governance records to undo an action later (POST /actions/:id/rollback). */
export type RollbackRecord =
  | {
      kind: 'restore_file';
      /** Relative to WORKSPACE_DIR. */
      path: string;
      /** null: the file did not exist before; undoing deletes it. */
      previousContent: string | null;
      previousSha256: string | null;
      /** The hash the file must still have for the undo to be safe. */
      currentSha256: string;
    }
  | { kind: 'git_reset'; repo: string; previousHead: string; currentHead: string }
  | { kind: 'apt_remove'; packages: string[] };

export interface ToolOutcome<T = unknown> {
  output: T;
  verification?: ToolVerification;
  rollback?: RollbackRecord;
}

/** A typed capability: validated arguments in, a typed outcome out. `run` is only ever called by ToolCatalog. */
export interface CapabilityTool<Schema extends z.ZodType = z.ZodType, Output = unknown> {
  readonly name: string;
  readonly description: string;
  readonly actionClass: ActionClass;
  readonly minRole: Role;
  readonly argsSchema: Schema;
  /** Argument fields that hold content (a file's text): the audit keeps their sha256 and size, never the text. */
  readonly contentFields?: readonly string[];
  run(args: z.output<Schema>, context: ToolContext): Promise<ToolOutcome<Output>>;
}

/** What GET /tools lists for each tool. */
export interface ToolDescriptor {
  name: string;
  description: string;
  actionClass: ActionClass;
  minRole: Role;
  /** JSON Schema (draft 2020-12) of the arguments, as the caller sends them. */
  argsSchema: Record<string, unknown>;
}
