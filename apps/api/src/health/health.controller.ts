import { Public } from '@aegis/auth';
import { Controller, Get, ServiceUnavailableException, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { Response } from 'express';
import { DatabaseHealthIndicator } from './database.health';
import { HealthLiveDto } from './health-live.dto';
import { HealthIndicatorDto, HealthReportDto } from './health-report.dto';
import { ProvidersHealthIndicator } from '../providers/providers.health';
import { RedisHealthIndicator } from './redis.health';
import { SandboxHealthIndicator } from './sandbox.health';

/** Probes: /health/live and /health/ready for orchestrators, /health for people (docs/operations.md, "Health probes"). */
@Public()
@ApiTags('health')
@ApiExtraModels(HealthIndicatorDto)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly sandbox: SandboxHealthIndicator,
    private readonly providers: ProvidersHealthIndicator,
  ) {}

  /** 200 when the database, the sandbox and at least one provider are up; 503 with the same report otherwise. */
  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthReportDto })
  @ApiServiceUnavailableResponse({ type: HealthReportDto })
  check(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.report(response, [
      () => this.database.pingCheck('database', 3000),
      () => this.sandbox.check('sandbox'),
      () => this.providers.check('providers'),
    ]);
  }

  /** Liveness: the process answers HTTP. No I/O, so a slow dependency never gets an instance restarted. */
  @Get('live')
  @ApiOkResponse({ type: HealthLiveDto })
  live(): HealthLiveDto {
    return { status: 'ok' };
  }

  /** Readiness: the database and, when REDIS_URL is set, Redis. Not the LLM vendors nor the sandbox: their outage must not take every instance out of rotation. */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthReportDto })
  @ApiServiceUnavailableResponse({ type: HealthReportDto })
  ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.report(response, [() => this.database.pingCheck('database', 2000), ...this.redis.checks('redis', 1000)]);
  }

  private async report(response: Response, checks: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
