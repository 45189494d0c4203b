import { randomUUID } from 'node:crypto';
import { type AppConfig, ConfigModule, loadConfig } from '@aegis/config';
import { ErrorCode, Role } from '@aegis/contracts';
import { createDataSourceOptions } from '@aegis/database';
import { AuditLog, AuditRepository } from '@aegis/governance';
import { connectRedis as connect, createTestDatabase, type RedisServer, startRedisServer } from '@aegis/testing';
import {
  type ArgumentsHost,
  type CanActivate,
  Catch,
  Controller,
  type ExceptionFilter,
  type ExecutionContext,
  Get,
  Global,
  HttpCode,
  Module,
  Post,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AuthException } from '../../auth.exception';
import type { AuthenticatedRequest } from '../../principal';
import { SecurityEvents } from '../../security-events';
import { RateLimit } from '../rate-limit.guard';
import { RateLimitModule } from '../rate-limit.module';

/**
 * Helpers for the rate-limit integration specs (not exported from the lib): a Nest app with
 * RateLimitModule, probe routes under @RateLimit, and the audit entries of its refusals.
 */

/** Stands in for the API's auth guard: a global guard that sets the principal from a test header. */
class TestPrincipalGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers['x-test-principal'];
    if (typeof header !== 'string') return true;
    const [kind, id] = header.split(':');
    request.principal =
      kind === 'key'
        ? { kind: 'api_key', userId: 'owner-of-keys', username: 'ci', role: Role.Operator, apiKeyId: id }
        : { kind: 'user', userId: id, username: `user-${id.slice(0, 8)}`, role: Role.Operator, sessionId: randomUUID() };
    return true;
  }
}

/** The API's filter lives in apps/api; this one keeps what the tests check: status, Retry-After, code. */
@Catch(AuthException)
class AuthExceptionTestFilter implements ExceptionFilter {
  catch(exception: AuthException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    response.status(exception.code === ErrorCode.RateLimited ? 429 : 500).json({ code: exception.code, message: exception.message });
  }
}

@Controller()
class ProbeController {
  @Post('tools/:name/execute')
  @HttpCode(200)
  @RateLimit('tools')
  execute(): { ok: true } {
    return { ok: true };
  }

  @Post('auth/register')
  @HttpCode(201)
  @RateLimit('register')
  register(): { ok: true } {
    return { ok: true };
  }

  @Get('open')
  open(): { ok: true } {
    return { ok: true };
  }
}

/** Every route of this controller shares one `chat` budget. */
@Controller('chat')
@RateLimit('chat')
class ChatProbeController {
  @Post('messages')
  @HttpCode(200)
  send(): { ok: true } {
    return { ok: true };
  }

  @Post('runs/cancel')
  @HttpCode(200)
  cancel(): { ok: true } {
    return { ok: true };
  }

  /** The handler's name wins over the controller's, and the request is counted once. */
  @Post('tool-call')
  @HttpCode(200)
  @RateLimit('tools')
  toolCall(): { ok: true } {
    return { ok: true };
  }
}

/** An app with RateLimitModule (Redis when the config has REDIS_URL) whose security events go to PostgreSQL. */
export async function startRateLimitApp(config: AppConfig, dataSource: DataSource): Promise<NestExpressApplication> {
  @Global()
  @Module({
    providers: [{ provide: SecurityEvents, useValue: new SecurityEvents(new AuditLog(new AuditRepository(dataSource))) }],
    exports: [SecurityEvents],
  })
  class SecurityEventsModule {}

  @Module({
    imports: [ConfigModule.forRoot(config), SecurityEventsModule, RateLimitModule],
    controllers: [ProbeController, ChatProbeController],
    providers: [
      { provide: APP_GUARD, useClass: TestPrincipalGuard },
      { provide: APP_FILTER, useClass: AuthExceptionTestFilter },
    ],
  })
  class TestRoot {}

  const app = await NestFactory.create<NestExpressApplication>(TestRoot, { logger: false });
  await app.init();
  return app;
}

export interface AuditRow {
  actor_type: string;
  actor_id: string | null;
  decision: string;
  args: Record<string, unknown>;
  ip: string | null;
  user_agent: string | null;
}

/** Audit entries are append-only (a trigger refuses DELETE): a test reads only those written after its mark. */
export class RateLimitedAudit {
  private mark = '0';

  constructor(private readonly dataSource: DataSource) {}

  async markNow(): Promise<void> {
    const [last] = await this.dataSource.query<{ id: string | null }[]>('SELECT max(id)::text AS id FROM audit_entries');
    this.mark = last?.id ?? '0';
  }

  /** The `auth.rate_limited` entries written since the mark, oldest first. */
  rows(): Promise<AuditRow[]> {
    return this.dataSource.query<AuditRow[]>(
      `SELECT actor_type, actor_id, decision, args, ip, user_agent FROM audit_entries WHERE action = 'auth.rate_limited' AND id > $1 ORDER BY id`,
      [this.mark],
    );
  }
}

/** Two API instances on one Redis and one PostgreSQL, as when several API processes run side by side. */
export interface TwoInstances {
  redis: RedisServer;
  /** A client of its own, to read the keys. */
  admin: Redis;
  dataSource: DataSource;
  audit: RateLimitedAudit;
  config: AppConfig;
  first: NestExpressApplication;
  second: NestExpressApplication;
  /** Empties Redis and marks the audit: call before each test. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts redis-server, a test database and two apps whose configuration is `variables` plus REDIS_URL. */
export async function startTwoInstances(variables: Record<string, string> = {}): Promise<TwoInstances> {
  const redis = await startRedisServer();
  const admin = connect(redis);
  const dataSource = await new DataSource(createDataSourceOptions({ url: await createTestDatabase(), embedded: false })).initialize();
  const audit = new RateLimitedAudit(dataSource);
  const config = loadConfig({ LOG_LEVEL: 'silent', ...variables, REDIS_URL: redis.url });
  const first = await startRateLimitApp(config, dataSource);
  const second = await startRateLimitApp(config, dataSource);
  return {
    redis,
    admin,
    dataSource,
    audit,
    config,
    first,
    second,
    reset: async () => {
      await admin.flushall();
      await audit.markNow();
    },
    stop: async () => {
      await first.close();
      await second.close();
      await dataSource.destroy();
      await admin.quit();
      await redis.stop();
    },
  };
}
