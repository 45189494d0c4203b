export { FORBIDDEN_SEQUENCES, findForbiddenSequence } from './lib/forbidden-tokens';
export {
  ExecutorException,
  type DriverAvailability,
  type DriverName,
  type ExecutionRequest,
  type ExecutionResult,
  type SandboxDriver,
  type SandboxRun,
} from './lib/executor.types';
export { resolveInWorkspace, toSandboxPath } from './lib/workspace-path';
export { ConfinedDirectory, type ConfinedEntry, ConfinedPath, resolveConfined } from './lib/confined-fs';
export { SECURE_EXECUTOR_OPTIONS, SecureExecutor, type SandboxHealth, type SecureExecutorOptions } from './lib/secure-executor';
export { SandboxExecutorModule } from './lib/sandbox-executor.module';
export { checkArgv, parseCommand } from './lib/command-parser';
export {
  ALLOWED_ABSOLUTE_FILES,
  allowedPrograms,
  allowedSubcommands,
  authorizeArgv,
  pathForms,
  PROGRAM_RULES,
  type CommandPlace,
  type ProgramRule,
} from './lib/program-allowlist';
export { commandEffects, mayWrite, WRITING_PROGRAMS, type CommandEffects, type WriteEffect, type WriteKind } from './lib/command-effects';
export {
  KILLED_EXIT_CODE,
  MAX_OUTPUT_BYTES,
  SANDBOX_ENV,
  SANDBOX_PIDS_LIMIT,
  SANDBOX_TMPFS_BYTES,
  SANDBOX_UID,
  SANDBOX_WORKSPACE,
} from './lib/sandbox-limits';
export { BwrapDriver, type BwrapDriverOptions } from './lib/drivers/bwrap.driver';
export { DirectDriver } from './lib/drivers/direct.driver';
export { DEFAULT_DOCKER_SOCKET, DockerDriver, type DockerDriverOptions } from './lib/drivers/docker.driver';
export { type ContainerHealth, type ContainerSummary, dockerUnreachableReason } from './lib/tools/docker.tools';
export { CAPABILITY_TOOLS, createToolCatalog, describeIssues, ToolCatalog, type ToolCatalogOptions } from './lib/tools/tool-catalog';
export type {
  CapabilityTool,
  CommandRunner,
  DockerAccess,
  RollbackRecord,
  ToolContext,
  ToolDescriptor,
  ToolEnvironment,
  ToolInvocation,
  ToolOutcome,
  ToolVerification,
} from './lib/tools/tool.types';
export { createHostSystem, type HostAvailability, type HostSystem } from './lib/tools/host-system';
