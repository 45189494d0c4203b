import { Public } from '@aegis/auth';
import { Controller, Get, ServiceUnavailableException, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { DatabaseHealthIndicator } from './database.health';
import { HealthIndicatorDto, HealthReportDto } from './health-report.dto';
import { ProvidersHealthIndicator } from '../providers/providers.health';
import { SandboxHealthIndicator } from './sandbox.health';

@Public()
@ApiTags('health')
@ApiExtraModels(HealthIndicatorDto)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly sandbox: SandboxHealthIndicator,
    private readonly providers: ProvidersHealthIndicator,
  ) {}

  /** 200 when the database, the sandbox and at least one provider are up; 503 with the same report otherwise. */
  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthReportDto })
  @ApiServiceUnavailableResponse({ type: HealthReportDto })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', 3000),
        () => this.sandbox.check('sandbox'),
        () => this.providers.check('providers'),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
