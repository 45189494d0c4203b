import { ErrorCode, roleAtLeast } from '@aegis/contracts';
import type Dockerode from 'dockerode';
import { z } from 'zod';
import { ExecutorException } from '../executor.types';
import { aptInstallTool, aptUpdateTool } from './apt.tools';
import { executeCommandTool } from './command.tools';
import { dockerListTool, dockerLogsTool, dockerRestartTool } from './docker.tools';
import { searchFilesTool } from './file-search.tool';
import { writeFileTool } from './file-write.tool';
import { listDirectoryTool, readFileTool } from './file.tools';
import { gitDiffTool, gitLogTool, gitPullTool, gitStatusTool } from './git.tools';
import { createHostSystem, type HostSystem } from './host-system';
import { systemdLogsTool, systemdRestartTool, systemdStatusTool } from './systemd.tools';
import { diskUsageTool, networkListenersTool, systemInfoTool } from './system.tools';
import type { CapabilityTool, CommandRunner, ToolDescriptor, ToolEnvironment, ToolInvocation, ToolOutcome } from './tool.types';

/** Every capability tool (docs/tools.md), in catalogue order. */
export const CAPABILITY_TOOLS: readonly CapabilityTool[] = [
  listDirectoryTool,
  readFileTool,
  searchFilesTool,
  diskUsageTool,
  systemInfoTool,
  networkListenersTool,
  gitStatusTool,
  dockerListTool,
  gitLogTool,
  gitDiffTool,
  dockerLogsTool,
  systemdStatusTool,
  systemdLogsTool,
  gitPullTool,
  dockerRestartTool,
  systemdRestartTool,
  writeFileTool,
  aptUpdateTool,
  aptInstallTool,
  executeCommandTool,
];

/** One line per problem: `path: message`, or the message alone for the arguments as a whole. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.map(String).join('.');
    return where ? `${where}: ${issue.message}` : issue.message;
  });
}

/**
 * The registry of capability tools and their one entry point, `run`: role check, argument
 * validation, then the tool. Governance wraps `run` (policy, justification, approval, audit);
 * nothing else calls a tool's own `run`.
 */
export class ToolCatalog {
  private readonly tools = new Map<string, CapabilityTool>();

  constructor(
    private readonly environment: ToolEnvironment,
    tools: readonly CapabilityTool[] = CAPABILITY_TOOLS,
  ) {
    for (const tool of tools) {
      if (this.tools.has(tool.name)) throw new Error(`Two tools are named '${tool.name}'`);
      this.tools.set(tool.name, tool);
    }
  }

  /** The tools as GET /tools lists them, argument schemas as JSON Schema. */
  list(): ToolDescriptor[] {
    return [...this.tools.values()].map((tool) => ({
      name: tool.name,
      description: tool.description,
      actionClass: tool.actionClass,
      minRole: tool.minRole,
      argsSchema: z.toJSONSchema(tool.argsSchema, { io: 'input' }),
    }));
  }

  /** The tool named `name`; NOT_FOUND otherwise. Governance reads its class and minimum role here. */
  get(name: string): CapabilityTool {
    const tool = this.tools.get(name);
    if (!tool) throw new ExecutorException(ErrorCode.NotFound, `There is no tool named '${name}'`);
    return tool;
  }

  /** Checks the caller's role and the arguments, then runs the tool. */
  async run(name: string, rawArgs: unknown, invocation: ToolInvocation): Promise<ToolOutcome> {
    const tool = this.get(name);
    if (!roleAtLeast(invocation.role, tool.minRole)) {
      throw new ExecutorException(ErrorCode.Forbidden, `'${name}' needs the ${tool.minRole} role or higher`);
    }
    const parsed = tool.argsSchema.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      throw new ExecutorException(ErrorCode.ValidationFailed, `Invalid arguments for '${name}'`, describeIssues(parsed.error));
    }
    invocation.signal?.throwIfAborted();
    return tool.run(parsed.data, { ...this.environment, ...invocation });
  }
}

export interface ToolCatalogOptions {
  /** AppConfig.workspaceDir. */
  workspaceDir: string;
  /** The SecureExecutor. */
  runner: CommandRunner;
  /** A dockerode client for /var/run/docker.sock, or undefined where Docker is not used. */
  dockerClient?: Dockerode;
  /** DOCKER_CONTAINER_ALLOWLIST. */
  containerAllowlist: readonly string[];
  /** SYSTEMD_UNIT_ALLOWLIST. */
  systemdUnitAllowlist: readonly string[];
  /** APT_TOOLS_ENABLED. */
  aptEnabled: boolean;
  /** The real host unless a test gives another. */
  host?: HostSystem;
}

/** The catalog of every capability tool, wired to the real host. */
export function createToolCatalog(options: ToolCatalogOptions): ToolCatalog {
  return new ToolCatalog({
    workspaceDir: options.workspaceDir,
    runner: options.runner,
    docker: options.dockerClient
      ? { client: options.dockerClient, containers: options.containerAllowlist.map((name) => name.replace(/^\//, '')) }
      : undefined,
    systemdUnits: [...options.systemdUnitAllowlist],
    host: options.host ?? createHostSystem({ aptEnabled: options.aptEnabled }),
  });
}
