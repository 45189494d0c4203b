import { COUNTER_STORE, type CounterStore } from '@aegis/auth';
import { type AppConfig, InjectAppConfig } from '@aegis/config';
import type { DatabaseConnection } from '@aegis/database';
import { DOCKER_CLIENT, dockerUnreachableReason, SANDBOX_STATUS, type SandboxStatus } from '@aegis/governance';
import { Inject, Injectable } from '@nestjs/common';
import { version as nestVersion } from '@nestjs/core/package.json';
import type Dockerode from 'dockerode';
import { AEGIS_VERSION } from './aegis-version';
import { effectiveConfig, maskUrl } from './effective-config';
import type { SystemDockerDto, SystemDto, SystemRedisDto } from './system.dto';
import { SystemRepository } from './system.repository';

export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');

/** A probe of another service waits this long at most, so the page never hangs on a dead dependency. */
const PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const messageOf = (error: unknown) =>
  typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);

/** What an admin may know about this server (docs/architecture.md "System"): nothing secret. */
@Injectable()
export class SystemService {
  private readonly startedAt = new Date(Date.now() - process.uptime() * 1000);

  constructor(
    @InjectAppConfig() private readonly config: AppConfig,
    @Inject(DATABASE_CONNECTION) private readonly database: Pick<DatabaseConnection, 'embedded'>,
    @Inject(COUNTER_STORE) private readonly counters: CounterStore,
    @Inject(DOCKER_CLIENT) private readonly docker: Dockerode,
    private readonly system: SystemRepository,
    @Inject(SANDBOX_STATUS) private readonly sandbox: SandboxStatus,
  ) {}

  async describe(): Promise<SystemDto> {
    const [postgres, docker, redis, sandbox] = await Promise.all([
      this.postgresVersion(),
      this.dockerState(),
      this.redisState(),
      this.sandbox.health(),
    ]);
    const { executor } = this.config;
    return {
      versions: { aegis: AEGIS_VERSION, node: process.version, nestjs: nestVersion, postgres, docker: docker.version },
      database: {
        kind: this.database.embedded ? 'embedded' : 'external',
        url: this.config.databaseUrl ? maskUrl(this.config.databaseUrl.reveal()) : null,
      },
      redis,
      docker,
      sandbox: {
        mode: executor.mode,
        configuredDriver: executor.driver,
        driver: sandbox.driver,
        available: sandbox.available,
        reason: sandbox.reason ?? null,
        image: executor.image,
        network: executor.network,
        cpus: executor.cpus,
        memoryMb: executor.memoryMb,
        pidsLimit: this.sandbox.limits.pidsLimit,
        timeoutMs: executor.timeoutMs,
        maxOutputBytes: this.sandbox.limits.maxOutputBytes,
        tmpBytes: this.sandbox.limits.tmpBytes,
        allowDirectFallback: executor.allowDirectFallback,
      },
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.floor(process.uptime()),
      config: effectiveConfig(this.config),
    };
  }

  private async postgresVersion(): Promise<string | null> {
    try {
      const version = await withTimeout(this.system.serverVersion(), 'PostgreSQL');
      return version === null ? null : shortVersion(version);
    } catch {
      return null;
    }
  }

  private async dockerState(): Promise<SystemDockerDto> {
    const base = { socketPath: this.config.dockerSocketPath, containerAllowlist: this.config.tools.containerAllowlist };
    try {
      const version = await withTimeout(this.docker.version(), 'Docker');
      return { ...base, available: true, version: version.Version, apiVersion: version.ApiVersion, reason: null };
    } catch (error) {
      return { ...base, available: false, version: null, apiVersion: null, reason: dockerUnreachableReason(error) };
    }
  }

  private async redisState(): Promise<SystemRedisDto> {
    const url = this.config.redisUrl?.reveal();
    if (url === undefined) return { enabled: false, reachable: null, url: null, reason: null };
    try {
      // The rate-limit store's own connection: reachable means the counters work.
      await withTimeout(this.counters.peek('system:probe'), 'Redis');
      return { enabled: true, reachable: true, url: maskUrl(url), reason: null };
    } catch (error) {
      const password = new URL(url).password;
      const reason = password ? messageOf(error).replaceAll(password, '****') : messageOf(error);
      return { enabled: true, reachable: false, url: maskUrl(url), reason };
    }
  }
}

/** "PostgreSQL 17.5 on x86_64-pc-linux-gnu, compiled by …" → "PostgreSQL 17.5": the build details say nothing to an admin. */
export function shortVersion(version: string): string {
  return /^PostgreSQL \S+/.exec(version)?.[0] ?? version;
}
