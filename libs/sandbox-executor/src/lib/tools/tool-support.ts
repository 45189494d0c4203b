import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { ErrorCode } from '@aegis/contracts';
import { z } from 'zod';
import { ExecutorException, type ExecutionResult } from '../executor.types';
import { resolveInWorkspace } from '../workspace-path';
import type { CapabilityTool, ToolContext } from './tool.types';

export { fileSystemFailure } from '../confined-fs';

/** Declares a tool with its argument and output types inferred from the schema and `run`. */
export function defineTool<Schema extends z.ZodType, Output>(tool: CapabilityTool<Schema, Output>): CapabilityTool<Schema, Output> {
  return tool;
}

/** A path argument: relative to WORKSPACE_DIR (or absolute inside it); never an option, never NUL. */
export const workspacePathArg = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => !path.includes('\0'), { error: 'must not contain a NUL byte' })
  .refine((path) => !path.startsWith('-'), { error: "must not start with '-'" });

export interface WorkspaceLocation {
  /** Real absolute path of the workspace root. */
  root: string;
  /** Real absolute host path inside the workspace. */
  absolute: string;
  /** Relative to the workspace root; '.' for the root itself. */
  relative: string;
}

/**
 * Confines a user path to the workspace (resolveInWorkspace) and returns both forms: for tools
 * that hand the path to the sandbox, which resolves it again where only the workspace exists.
 * Tools that open the path on the host use resolveConfined (confined-fs.ts) instead.
 */
export function locate(context: Pick<ToolContext, 'workspaceDir'>, userPath: string): WorkspaceLocation {
  const absolute = resolveInWorkspace(context.workspaceDir, userPath);
  const root = realpathSync(context.workspaceDir);
  const rel = relative(root, absolute).split(sep).join('/');
  return { root, absolute, relative: rel === '' ? '.' : rel };
}

/** A workspace-relative path as one argv element that can never be read as an option. */
export function pathArgument(relativePath: string): string {
  return relativePath === '.' ? '.' : `./${relativePath}`;
}

/** Runs argv through SecureExecutor as the caller, in a workspace-relative directory. */
export function runInSandbox(context: ToolContext, argv: readonly string[], cwd = '.'): Promise<ExecutionResult> {
  return context.runner.execute({
    argv,
    role: context.role,
    cwd,
    signal: context.signal,
    justification: context.justification,
  });
}

function firstLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(0, count).join(' / ');
}

/** A command that timed out or exited non-zero becomes a stable error that says what failed and why. */
export function requireSuccess(result: Pick<ExecutionResult, 'exitCode' | 'stdout' | 'stderr' | 'timedOut'>, what: string): void {
  if (result.timedOut) throw new ExecutorException(ErrorCode.ServiceUnavailable, `${what} timed out`);
  if (result.exitCode !== 0) {
    const reason = firstLines(result.stderr) || firstLines(result.stdout) || 'no output';
    throw new ExecutorException(ErrorCode.Conflict, `${what} failed (exit ${result.exitCode}): ${reason}`);
  }
}

/** git's own heuristic: a NUL byte in the first 8000 bytes means binary. */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8000);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}
