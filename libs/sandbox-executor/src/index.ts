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
export { resolveInWorkspace } from './lib/workspace-path';
