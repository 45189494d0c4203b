import { AegisError, ErrorCode } from '@aegis/contracts';
import { type Caller, type ExecutionOutcome, ToolRegistry } from '@aegis/governance';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { CONTAINER_HEALTH, type DockerLogsDto, type DockerStatusDto } from './docker.dto';
import { executedAction } from './present';

const containerList = z.object({
  containers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      image: z.string(),
      state: z.string(),
      status: z.string(),
      createdAt: z.string(),
      startedAt: z.string().nullable(),
      health: z.enum(CONTAINER_HEALTH),
      restartCount: z.number().nullable(),
    }),
  ),
});
export const containerLogs = z.object({ container: z.string(), id: z.string(), logs: z.string(), truncated: z.boolean() });

export interface LogsRequest {
  tail: number;
  /** UNIX seconds. */
  since?: number;
  search?: string;
}

/** The lines of `text` that contain `search`, ignoring case (all of them without a search). */
export function matchingLines(text: string, search: string | undefined): string {
  if (!search) return text;
  const needle = search.toLowerCase();
  return text
    .split('\n')
    .filter((line) => line.length > 0 && line.toLowerCase().includes(needle))
    .map((line) => `${line}\n`)
    .join('');
}

/** Whole seconds since `startedAt` while the container runs; null otherwise. */
function uptimeSeconds(state: string, startedAt: string | null, now: number): number | null {
  if (state !== 'running' || startedAt === null) return null;
  const started = Date.parse(startedAt);
  return Number.isNaN(started) ? null : Math.max(0, Math.floor((now - started) / 1000));
}

/** The Docker panel's endpoints, each one call of a docker tool through the registry (so each is governed and audited). */
@Injectable()
export class DockerService {
  constructor(private readonly registry: ToolRegistry) {}

  async status(caller: Caller): Promise<DockerStatusDto> {
    try {
      const outcome = await this.registry.execute('docker_list', {}, caller);
      if (outcome.kind !== 'executed') throw new Error('docker_list never needs an approval');
      const now = Date.now();
      const { containers } = containerList.parse(executedAction(outcome).result.output);
      return {
        available: true,
        containers: containers.map((container) => ({
          ...container,
          uptimeSeconds: uptimeSeconds(container.state, container.startedAt, now),
        })),
      };
    } catch (error) {
      if (error instanceof AegisError && error.code === ErrorCode.CapabilityUnavailable)
        return { available: false, containers: [], reason: error.message };
      throw error;
    }
  }

  async logs(caller: Caller, container: string, request: LogsRequest): Promise<DockerLogsDto> {
    const args = { container, tail: request.tail, ...(request.since === undefined ? {} : { since: request.since }) };
    const outcome = await this.registry.execute('docker_logs', args, caller);
    if (outcome.kind !== 'executed') throw new Error('docker_logs never needs an approval');
    const logs = containerLogs.parse(executedAction(outcome).result.output);
    return { ...logs, logs: matchingLines(logs.logs, request.search) };
  }

  /** Runs docker_restart (MODERATE today: operators and admins, verified); a policy that asks for an approval gets the pending request back. */
  restart(caller: Caller, container: string, justification: string | undefined): Promise<ExecutionOutcome> {
    return this.registry.execute('docker_restart', { container }, caller, justification);
  }
}
