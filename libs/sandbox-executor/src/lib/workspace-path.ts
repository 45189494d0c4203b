import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { ErrorCode } from '@aegis/contracts';
import { ExecutorException } from './executor.types';
import { SANDBOX_WORKSPACE } from './sandbox-limits';

/** Whether `candidate` is `root` or lies under it (both absolute, compared by name). */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'));
}

/** The deepest existing ancestor's real path, with the not-yet-existing rest appended (for files about to be written). */
function realPathOf(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    rest.unshift(existing.slice(dirname(existing).length + 1));
    existing = dirname(existing);
  }
  return resolve(realpathSync(existing), ...rest);
}

/**
 * Resolves a user-supplied path (relative to the workspace, or absolute inside it) to a real
 * absolute path inside WORKSPACE_DIR. `..` that leaves the workspace, absolute paths elsewhere,
 * NUL bytes and symlinks that point outside are refused with PATH_OUTSIDE_WORKSPACE.
 */
export function resolveInWorkspace(workspaceDir: string, userPath = '.'): string {
  if (userPath.includes('\0')) throw new ExecutorException(ErrorCode.PathOutsideWorkspace, 'The path contains a NUL byte');
  const root = realpathSync(workspaceDir);
  const lexical = resolve(root, userPath);
  if (!isInside(root, lexical)) {
    throw new ExecutorException(ErrorCode.PathOutsideWorkspace, `'${userPath}' is outside the workspace`);
  }
  const real = realPathOf(lexical);
  if (!isInside(root, real)) {
    throw new ExecutorException(ErrorCode.PathOutsideWorkspace, `'${userPath}' leads outside the workspace through a symbolic link`);
  }
  return real;
}

/** Where a host path inside the workspace appears in a sandbox (`<workspace>/repo` → `/workspace/repo`). */
export function toSandboxPath(workspaceRoot: string, hostPath: string): string {
  if (!isInside(workspaceRoot, hostPath)) {
    throw new ExecutorException(ErrorCode.PathOutsideWorkspace, `'${hostPath}' is outside the workspace`);
  }
  const rel = relative(workspaceRoot, hostPath);
  return rel === '' ? SANDBOX_WORKSPACE : posix.join(SANDBOX_WORKSPACE, ...rel.split(sep));
}
