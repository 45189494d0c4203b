// The executor's public entry: only what governance (the one door, docs/governance.md), the benchmark
// (bench/sandbox.bench.ts) and a future worker use. The lint rule in eslint.config.mjs keeps every
// other project from importing this library.
export { ExecutorException, type SandboxRun, type SandboxRunObserver, type SandboxRunReport } from './lib/executor.types';
export { resolveInWorkspace } from './lib/workspace-path';
export { ConfinedPath, resolveConfined } from './lib/confined-fs';
export { SecureExecutor, type SandboxHealth } from './lib/secure-executor';
export { SandboxExecutorModule } from './lib/sandbox-executor.module';
export { parseCommand } from './lib/command-parser';
export { authorizeArgv, PROGRAM_RULES, type CommandPlace } from './lib/program-allowlist';
export { commandEffects, WRITING_PROGRAMS, type WriteEffect } from './lib/command-effects';
export { MAX_OUTPUT_BYTES, SANDBOX_PIDS_LIMIT, SANDBOX_TMPFS_BYTES, SANDBOX_UID, SANDBOX_WORKSPACE } from './lib/sandbox-limits';
export { BwrapDriver } from './lib/drivers/bwrap.driver';
export { DockerDriver } from './lib/drivers/docker.driver';
export { dockerUnreachableReason } from './lib/tools/docker.tools';
export { CAPABILITY_TOOLS, createToolCatalog, describeIssues, ToolCatalog, type ToolCatalogOptions } from './lib/tools/tool-catalog';
export type {
  CapabilityTool,
  CommandRunner,
  RollbackRecord,
  ToolDescriptor,
  ToolInvocation,
  ToolOutcome,
  ToolVerification,
} from './lib/tools/tool.types';
export { createHostSystem, hostAvailability } from './lib/tools/host-system';
