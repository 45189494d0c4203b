import { type AppConfig, APP_CONFIG } from '@aegis/config';
import { SandboxExecutorModule, SecureExecutor } from '@aegis/sandbox-executor';
import { Module } from '@nestjs/common';
import Dockerode from 'dockerode';
import { RollbackVault } from './actions/rollback-vault';
import { ToolActionRepository } from './actions/tool-action.repository';
import { ApprovalRepository } from './approvals/approval.repository';
import { ApprovalService } from './approvals/approval.service';
import { RequesterDirectory } from './approvals/requester-directory';
import { RequesterRepository } from './approvals/requester.repository';
import { GovernanceEvents } from './events/governance-events';
import { GOVERNANCE_SETTINGS, TOOL_REGISTRY_OPTIONS } from './governance.tokens';
import type { GovernanceSettings } from './governance.types';
import { ToolRegistry, type ToolRegistryOptions } from './registry/tool-registry';
import { SANDBOX_STATUS, sandboxStatusProvider } from './sandbox-status';
import { GovernanceTelemetry } from './telemetry/governance-telemetry';

/**
 * The one Docker client on DOCKER_SOCKET: the docker tools use it, and the API reads the daemon's
 * version and follows a log that an audited docker_logs call has just resolved on the allowlist.
 */
export const DOCKER_CLIENT = Symbol('DOCKER_CLIENT');

/** The catalog's options from the configuration: workspace, executor, Docker client and allowlists. */
export function toolRegistryOptions(config: AppConfig, executor: SecureExecutor, dockerClient: Dockerode): ToolRegistryOptions {
  return {
    workspaceDir: config.workspaceDir,
    runner: executor,
    // dockerode connects lazily: without a daemon the docker tools answer CAPABILITY_UNAVAILABLE.
    dockerClient,
    containerAllowlist: config.tools.containerAllowlist,
    systemdUnitAllowlist: config.tools.systemdUnitAllowlist,
    aptEnabled: config.tools.aptEnabled,
  };
}

/**
 * Governance for the application: the tool registry (the only way to run a tool), approvals,
 * rollback, audit and action queries and the approval event bus. Needs ConfigModule, DatabaseModule
 * and AuditModule (which holds GovernanceTelemetry) in the application. It alone imports SandboxExecutorModule: the executor is
 * injectable here and nowhere else; the rest of the application reads SANDBOX_STATUS.
 */
@Module({
  imports: [SandboxExecutorModule],
  providers: [
    {
      provide: GOVERNANCE_SETTINGS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): GovernanceSettings => ({ ...config.governance }),
    },
    {
      provide: DOCKER_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new Dockerode({ socketPath: config.dockerSocketPath }),
    },
    { provide: TOOL_REGISTRY_OPTIONS, inject: [APP_CONFIG, SecureExecutor, DOCKER_CLIENT], useFactory: toolRegistryOptions },
    GovernanceEvents,
    ApprovalRepository,
    ToolActionRepository,
    RequesterRepository,
    RequesterDirectory,
    {
      provide: RollbackVault,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const secret = config.jwtSecret?.reveal();
        if (!secret) throw new Error('JWT secret is not resolved: call resolveGeneratedSecrets before starting');
        return new RollbackVault(secret);
      },
    },
    ToolRegistry,
    ApprovalService,
    sandboxStatusProvider,
  ],
  exports: [ToolRegistry, ApprovalService, ToolActionRepository, GovernanceEvents, GOVERNANCE_SETTINGS, SANDBOX_STATUS, DOCKER_CLIENT],
})
export class GovernanceModule {
  // The executor is private to this module, so its runs reach the application's observers through governance.
  constructor(executor: SecureExecutor, telemetry: GovernanceTelemetry) {
    executor.observe(telemetry);
  }
}
