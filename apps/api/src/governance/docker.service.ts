import { AegisError, ErrorCode } from '@aegis/contracts';
import { type Caller, ToolRegistry } from '@aegis/governance';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { DockerLogsDto, DockerStatusDto, ExecutedActionDto } from './governance.dto';
import { executedAction } from './present';

const containerList = z.object({
  containers: z.array(z.object({ id: z.string(), name: z.string(), image: z.string(), state: z.string(), status: z.string() })),
});
const containerLogs = z.object({ container: z.string(), logs: z.string(), truncated: z.boolean() });

/** The Docker dashboard endpoints, each one call of a docker tool through the registry (so each is governed and audited). */
@Injectable()
export class DockerService {
  constructor(private readonly registry: ToolRegistry) {}

  async status(caller: Caller): Promise<DockerStatusDto> {
    try {
      const outcome = await this.registry.execute('docker_list', {}, caller);
      if (outcome.kind !== 'executed') throw new Error('docker_list never needs an approval');
      return { available: true, containers: containerList.parse(executedAction(outcome).result.output).containers };
    } catch (error) {
      if (error instanceof AegisError && error.code === ErrorCode.CapabilityUnavailable) return { available: false, containers: [], reason: error.message };
      throw error;
    }
  }

  async logs(caller: Caller, container: string, tail: number): Promise<DockerLogsDto> {
    const outcome = await this.registry.execute('docker_logs', { container, tail }, caller);
    if (outcome.kind !== 'executed') throw new Error('docker_logs never needs an approval');
    return containerLogs.parse(executedAction(outcome).result.output);
  }

  async restart(caller: Caller, container: string, justification: string | undefined): Promise<ExecutedActionDto> {
    const outcome = await this.registry.execute('docker_restart', { container }, caller, justification);
    if (outcome.kind !== 'executed') throw new Error('docker_restart never needs an approval');
    return executedAction(outcome);
  }
}
