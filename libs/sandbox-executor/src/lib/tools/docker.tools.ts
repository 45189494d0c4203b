import { setTimeout as delay } from 'node:timers/promises';
import { ActionClass, ErrorCode, Role } from '@aegis/contracts';
import type Dockerode from 'dockerode';
import { z } from 'zod';
import { ExecutorException } from '../executor.types';
import { defineTool } from './tool-support';
import type { DockerAccess, ToolContext } from './tool.types';

const MAX_LOG_BYTES = 1024 * 1024;
const SHORT_ID = 12;

const containerArg = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, { error: 'must be a container name or id' })
  .describe('Container name (as on the allowlist) or id');

export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; null when the container never started (or its details could not be read). */
  startedAt: string | null;
  health: ContainerHealth;
  /** null when the container's details could not be read. */
  restartCount: number | null;
}

function dockerOf(context: ToolContext): DockerAccess {
  if (!context.docker) throw new ExecutorException(ErrorCode.CapabilityUnavailable, 'Docker is not configured on this server');
  return context.docker;
}

function namesOf(container: Dockerode.ContainerInfo): string[] {
  return container.Names.map((name) => name.replace(/^\//, ''));
}

/** Why the daemon did not answer, in words an operator can act on (the system error kept in brackets). */
export function dockerUnreachableReason(error: unknown): string {
  // Duck-typed: socket errors may come from another realm (instanceof Error is then false).
  const fields = typeof error === 'object' && error !== null ? (error as { message?: unknown; code?: unknown; address?: unknown }) : {};
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  const code = typeof fields.code === 'string' ? fields.code : '';
  const socket = typeof fields.address === 'string' ? fields.address : 'the Docker socket';
  switch (code) {
    case 'ENOENT':
      return `Docker is not reachable: ${socket} does not exist; is Docker installed and running, and is DOCKER_SOCKET right? (${message})`;
    case 'EACCES':
    case 'EPERM':
      return `Docker is not reachable: permission denied on ${socket}; the server's user needs access to it (e.g. the docker group) (${message})`;
    case 'ECONNREFUSED':
      return `Docker is not reachable: nothing answers on ${socket}; the Docker daemon is not running (${message})`;
    default:
      return `Docker is not reachable: ${message}`;
  }
}

/** Every container on the daemon; an unreachable daemon is CAPABILITY_UNAVAILABLE, not a crash. */
async function listAll(docker: DockerAccess, signal: AbortSignal | undefined): Promise<Dockerode.ContainerInfo[]> {
  try {
    return await docker.client.listContainers({ all: true, abortSignal: signal });
  } catch (error) {
    signal?.throwIfAborted();
    throw new ExecutorException(ErrorCode.CapabilityUnavailable, dockerUnreachableReason(error));
  }
}

const NEVER_STARTED = '0001-01-01T00:00:00Z';

function healthOf(details: Dockerode.ContainerInspectInfo | undefined): ContainerHealth {
  const status = details?.State.Health?.Status;
  return status === 'healthy' || status === 'unhealthy' || status === 'starting' ? status : 'none';
}

/** One allowlisted container with its start time, health and restart count (from inspect; a container gone meanwhile keeps the list's fields). */
async function summaryOf(
  docker: DockerAccess,
  container: Dockerode.ContainerInfo,
  name: string,
  signal: AbortSignal | undefined,
): Promise<ContainerSummary> {
  const details = await docker.client
    .getContainer(container.Id)
    .inspect({ abortSignal: signal })
    .catch((): undefined => undefined);
  const startedAt = details?.State.StartedAt;
  return {
    id: container.Id.slice(0, SHORT_ID),
    name,
    image: container.Image,
    state: container.State,
    status: container.Status,
    createdAt: new Date(container.Created * 1000).toISOString(),
    startedAt: startedAt && startedAt !== NEVER_STARTED ? startedAt : null,
    health: healthOf(details),
    restartCount: details?.RestartCount ?? null,
  };
}

/**
 * The allowlisted container `reference` names (or whose id starts with it). Anything off the
 * allowlist is FORBIDDEN whether or not it exists, so refusals reveal nothing about other containers.
 */
async function allowlistedContainer(context: ToolContext, reference: string): Promise<{ id: string; name: string }> {
  const docker = dockerOf(context);
  const containers = await listAll(docker, context.signal);
  const byName = containers.find((container) => namesOf(container).includes(reference));
  const byId = /^[0-9a-f]{12,64}$/.test(reference) ? containers.filter((container) => container.Id.startsWith(reference)) : [];
  const match = byName ?? (byId.length === 1 ? byId[0] : undefined);
  const allowedName = match
    ? namesOf(match).find((name) => docker.containers.includes(name))
    : docker.containers.find((name) => name === reference);
  if (allowedName === undefined) {
    throw new ExecutorException(ErrorCode.Forbidden, `container '${reference}' is not on the container allowlist`);
  }
  if (!match) throw new ExecutorException(ErrorCode.NotFound, `container '${reference}' does not exist`);
  return { id: match.Id, name: allowedName };
}

/**
 * The text of a non-TTY container's log: frames of an 8-byte header (stream, 0, 0, 0, big-endian
 * length) and a payload. A cut last frame keeps what arrived.
 */
export function demultiplexDockerLog(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    if (stream > 2 || buffer[offset + 1] !== 0 || buffer[offset + 2] !== 0 || buffer[offset + 3] !== 0) {
      return buffer.toString('utf8');
    }
    const length = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, Math.min(offset + 8 + length, buffer.length)));
    offset += 8 + length;
  }
  return Buffer.concat(parts).toString('utf8');
}

export const dockerListTool = defineTool({
  name: 'docker_list',
  description:
    'The containers on the container allowlist (running or not): id, name, image, state, status, creation and start time, health, restart count. Containers off the allowlist are not shown.',
  actionClass: ActionClass.Read,
  minRole: Role.Operator,
  argsSchema: z.strictObject({}),
  async run(_args, context) {
    const docker = dockerOf(context);
    const allowlisted = (await listAll(docker, context.signal))
      .map((container) => ({ container, name: namesOf(container).find((name) => docker.containers.includes(name)) }))
      .filter((entry): entry is { container: Dockerode.ContainerInfo; name: string } => entry.name !== undefined);
    const containers = (
      await Promise.all(allowlisted.map(({ container, name }) => summaryOf(docker, container, name, context.signal)))
    ).sort((a, b) => a.name.localeCompare(b.name));
    return { output: { containers } };
  },
});

export const dockerLogsTool = defineTool({
  name: 'docker_logs',
  description: 'The last lines (stdout and stderr) of an allowlisted container, through the Docker API.',
  actionClass: ActionClass.Safe,
  minRole: Role.Operator,
  argsSchema: z.strictObject({
    container: containerArg,
    tail: z.number().int().min(1).max(5000).default(100),
    timestamps: z.boolean().default(false),
    since: z.number().int().min(0).optional().describe('Only lines written at or after this time, in UNIX seconds'),
  }),
  async run(args, context) {
    const target = await allowlistedContainer(context, args.container);
    const container = dockerOf(context).client.getContainer(target.id);
    const details = await container.inspect({ abortSignal: context.signal });
    const raw = await container.logs({
      stdout: true,
      stderr: true,
      tail: args.tail,
      timestamps: args.timestamps,
      ...(args.since === undefined ? {} : { since: args.since }),
      follow: false,
      abortSignal: context.signal,
    });
    const text = details.Config.Tty ? raw.toString('utf8') : demultiplexDockerLog(raw);
    const truncated = Buffer.byteLength(text) > MAX_LOG_BYTES;
    const logs = truncated
      ? Buffer.from(text)
          .subarray(Buffer.byteLength(text) - MAX_LOG_BYTES)
          .toString('utf8')
      : text;
    return { output: { container: target.name, id: target.id.slice(0, SHORT_ID), logs, truncated } };
  },
});

export const dockerRestartTool = defineTool({
  name: 'docker_restart',
  description: 'Restarts an allowlisted container through the Docker API and checks that it is running again with a new start time.',
  actionClass: ActionClass.Moderate,
  minRole: Role.Operator,
  argsSchema: z.strictObject({
    container: containerArg,
    timeoutSeconds: z.number().int().min(0).max(300).default(10).describe('Grace period before the container is killed'),
  }),
  async run(args, context) {
    const target = await allowlistedContainer(context, args.container);
    const container = dockerOf(context).client.getContainer(target.id);
    const before = await container.inspect({ abortSignal: context.signal });
    await container.restart({ t: args.timeoutSeconds, abortSignal: context.signal });
    let after = await container.inspect({ abortSignal: context.signal });
    for (let attempt = 0; attempt < 20 && !(after.State.Running && after.State.StartedAt !== before.State.StartedAt); attempt++) {
      await delay(250, undefined, { signal: context.signal });
      after = await container.inspect({ abortSignal: context.signal });
    }
    const verified = after.State.Running && after.State.StartedAt !== before.State.StartedAt;
    return {
      output: {
        container: target.name,
        id: target.id.slice(0, SHORT_ID),
        running: after.State.Running,
        previousStartedAt: before.State.StartedAt,
        startedAt: after.State.StartedAt,
      },
      verification: {
        verified,
        detail: verified
          ? `the container is running again, started at ${after.State.StartedAt}`
          : `the container is ${after.State.Status} (started at ${after.State.StartedAt})`,
      },
    };
  },
});
