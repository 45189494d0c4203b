import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode } from '@aegis/contracts';
import { ExecutorException } from '../executor.types';
import { checkGitRepository } from '../git-safety';
import { fileSystemFailure, locate, type WorkspaceLocation } from './tool-support';

export interface GitRepository extends WorkspaceLocation {
  /** Real path of the repository's `.git` folder, inside the workspace. */
  gitDir: string;
}

/**
 * The work tree at `userRepo` inside the workspace, checked as the executor checks every git
 * command (git-safety.ts): a real `.git` folder whose config names no program. The executor
 * repeats the check under its workspace lock; this one gives the tools a clear refusal first.
 */
export async function openRepository(workspaceDir: string, userRepo: string): Promise<GitRepository> {
  const location = locate({ workspaceDir }, userRepo);
  const gitDir = join(location.absolute, '.git');
  try {
    await lstat(gitDir);
  } catch (error) {
    const failure = fileSystemFailure(error, userRepo);
    if (failure instanceof ExecutorException && failure.code === ErrorCode.NotFound) {
      throw new ExecutorException(ErrorCode.NotFound, `'${userRepo}' is not a git repository (no .git in it)`);
    }
    throw failure;
  }
  checkGitRepository(location.root, location.absolute);
  return { ...location, gitDir };
}
