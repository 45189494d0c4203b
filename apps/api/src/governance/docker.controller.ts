import { CurrentPrincipal, MinRole, type Principal, RateLimit } from '@aegis/auth';
import { Role } from '@aegis/contracts';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { callerOf } from './caller';
import { DockerService } from './docker.service';
import { DockerLogsDto, DockerLogsQueryDto, DockerRestartDto, DockerStatusDto, ExecutedActionDto } from './governance.dto';

const DEFAULT_TAIL = 100;

@ApiTags('docker')
@Controller('docker')
export class DockerController {
  constructor(private readonly docker: DockerService) {}

  /** The allowlisted containers (docker_list, audited); `available: false` when Docker is not reachable. */
  @Get('status')
  @MinRole(Role.Operator)
  @ApiOkResponse({ type: DockerStatusDto })
  status(@CurrentPrincipal() principal: Principal, @Req() request: Request): Promise<DockerStatusDto> {
    return this.docker.status(callerOf(principal, request));
  }

  /** The last `tail` lines of an allowlisted container (docker_logs). */
  @Get('containers/:id/logs')
  @MinRole(Role.Operator)
  @ApiOkResponse({ type: DockerLogsDto })
  logs(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: DockerLogsQueryDto, @Req() request: Request): Promise<DockerLogsDto> {
    return this.docker.logs(callerOf(principal, request), id, query.tail ?? DEFAULT_TAIL);
  }

  /** Restarts an allowlisted container through governance (docker_restart, MODERATE: operators and admins; verified). */
  @Post('containers/:id/restart')
  @RateLimit('tools')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ExecutedActionDto })
  restart(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: DockerRestartDto, @Req() request: Request): Promise<ExecutedActionDto> {
    return this.docker.restart(callerOf(principal, request), id, body.justification);
  }
}
