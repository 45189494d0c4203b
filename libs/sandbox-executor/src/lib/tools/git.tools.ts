import { ActionClass, Role } from '@aegis/contracts';
import { z } from 'zod';
import { GIT_LOG_FORMAT, parseGitLog, parseGitStatus } from './git-output.parser';
import { openRepository } from './git-repository';
import { defineTool, requireSuccess, runInSandbox, workspacePathArg } from './tool-support';
import type { ToolContext } from './tool.types';

const repoArg = workspacePathArg.describe('Git work tree, relative to the workspace (the folder holding .git)');

/**
 * git argv as the executor's allowlist takes it: the subcommand first, then its options; no
 * user string is ever an argument (the repository is the working directory).
 */
function git(subcommand: string, ...args: string[]): string[] {
  return ['git', subcommand, ...args];
}

async function revParse(context: ToolContext, cwd: string, revision: string): Promise<string | null> {
  const result = await runInSandbox(context, git('rev-parse', '--verify', '--quiet', '--end-of-options', revision), cwd);
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

export const gitStatusTool = defineTool({
  name: 'git_status',
  description: 'Branch, upstream, ahead/behind and changed files of a git repository in the workspace.',
  actionClass: ActionClass.Read,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({ repo: repoArg }),
  async run(args, context) {
    const repo = await openRepository(context.workspaceDir, args.repo);
    const result = await runInSandbox(
      context,
      git('status', '--porcelain=v1', '--branch', '-z', '--untracked-files=normal'),
      repo.relative,
    );
    requireSuccess(result, `git status in '${args.repo}'`);
    return { output: { repo: repo.relative, ...parseGitStatus(result.stdout) } };
  },
});

export const gitLogTool = defineTool({
  name: 'git_log',
  description: 'The latest commits (hash, author, ISO date, subject) of a git repository in the workspace.',
  actionClass: ActionClass.Safe,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({ repo: repoArg, limit: z.number().int().min(1).max(200).default(20) }),
  async run(args, context) {
    const repo = await openRepository(context.workspaceDir, args.repo);
    const result = await runInSandbox(context, git('log', '--no-color', GIT_LOG_FORMAT, '-n', String(args.limit)), repo.relative);
    requireSuccess(result, `git log in '${args.repo}'`);
    return { output: { repo: repo.relative, commits: parseGitLog(result.stdout) } };
  },
});

export const gitDiffTool = defineTool({
  name: 'git_diff',
  description: 'The unstaged (or, with staged, the staged) changes of a git repository in the workspace as a unified diff.',
  actionClass: ActionClass.Safe,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({ repo: repoArg, staged: z.boolean().default(false) }),
  async run(args, context) {
    const repo = await openRepository(context.workspaceDir, args.repo);
    const argv = git('diff', '--no-color', '--no-ext-diff', '--no-textconv', ...(args.staged ? ['--cached'] : []), '--');
    const result = await runInSandbox(context, argv, repo.relative);
    requireSuccess(result, `git diff in '${args.repo}'`);
    return { output: { repo: repo.relative, diff: result.stdout, truncated: result.truncated } };
  },
});

export const gitPullTool = defineTool({
  name: 'git_pull',
  description:
    "Fast-forwards a workspace repository's current branch to its upstream (git pull --ff-only). Runs in the sandbox: " +
    'with SANDBOX_NETWORK=none only remotes inside the workspace (a relative path such as ../upstream.git) can be reached.',
  actionClass: ActionClass.Moderate,
  minRole: Role.Operator,
  argsSchema: z.strictObject({ repo: repoArg }),
  async run(args, context) {
    const repo = await openRepository(context.workspaceDir, args.repo);
    const previousHead = await revParse(context, repo.relative, 'HEAD');
    const result = await runInSandbox(context, git('pull', '--ff-only', '--no-rebase', '--no-stat'), repo.relative);
    requireSuccess(result, `git pull in '${args.repo}'`);
    const head = await revParse(context, repo.relative, 'HEAD');
    const upstream = await revParse(context, repo.relative, '@{upstream}');
    const verified = head !== null && head === upstream;
    return {
      output: { repo: repo.relative, previousHead, head, updated: previousHead !== head, message: result.stdout.trim() },
      verification: {
        verified,
        detail: verified
          ? `HEAD is at the upstream's commit ${head}`
          : `HEAD is ${head ?? 'missing'}, the upstream is at ${upstream ?? 'unknown'}`,
      },
      rollback:
        previousHead !== null && head !== null && previousHead !== head
          ? { kind: 'git_reset' as const, repo: repo.relative, previousHead, currentHead: head }
          : undefined,
    };
  },
});
