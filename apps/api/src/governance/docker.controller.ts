import { CurrentCaller, MinRole, RateLimit } from '@aegis/auth';
import { Role } from '@aegis/contracts';
import type { Caller } from '@aegis/governance';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiExtraModels, ApiOkResponse, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DockerLogFollows } from './docker-log-follow';
import { DockerLogFollowQueryDto, DockerLogsDto, DockerLogsQueryDto, DockerRestartDto, DockerStatusDto, MAX_LOG_TAIL } from './docker.dto';
import { DockerService } from './docker.service';
import { ExecutedActionDto, PendingApprovalDto } from './execution.dto';
import { executionResponse } from './present';

const DEFAULT_TAIL = 100;

/** `web-2026-11-29T11-37-13Z.log`: the container's allowlisted name (letters, digits, `_.-`) and the time. */
function downloadName(container: string, now = new Date()): string {
  return `${container}-${now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-')}.log`;
}

@ApiTags('docker')
@Controller('docker')
export class DockerController {
  constructor(
    private readonly docker: DockerService,
    private readonly follows: DockerLogFollows,
  ) {}

  /** The allowlisted containers with state, uptime and health (docker_list, audited); `available: false` and the reason when Docker is not reachable. */
  @Get('status')
  @MinRole(Role.Operator)
  @ApiOkResponse({ type: DockerStatusDto })
  status(@CurrentCaller() caller: Caller): Promise<DockerStatusDto> {
    return this.docker.status(caller);
  }

  /**
   * The last `tail` lines of an allowlisted container (docker_logs, audited), optionally since a time
   * and only those containing `search`; with `download=1` the same lines as a text/plain attachment.
   */
  @Get('containers/:id/logs')
  @MinRole(Role.Operator)
  @ApiOkResponse({ type: DockerLogsDto, description: 'JSON; with download=1 the lines as text/plain (Content-Disposition: attachment)' })
  async logs(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Query() query: DockerLogsQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DockerLogsDto | string> {
    const since = query.since === undefined ? undefined : Math.floor(Date.parse(query.since) / 1000);
    const tail = query.tail ?? (query.download ? MAX_LOG_TAIL : DEFAULT_TAIL);
    const logs = await this.docker.logs(caller, id, { tail, since, search: query.search });
    if (!query.download) return logs;
    response.setHeader('Content-Type', 'text/plain; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${downloadName(logs.container)}"`);
    return logs.logs;
  }

  /**
   * Follows an allowlisted container's log live as Server-Sent Events: `open`, then `lines`
   * batches (the tail first), `: heartbeat` comments, and `end` {reason, message} when the
   * container stops or the time limit is reached. Starting is one audited docker_logs call, whose
   * refusal is the (JSON) answer; at most 3 follows per user (429).
   */
  @Get('containers/:id/logs/stream')
  @MinRole(Role.Operator)
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream: events open, lines, end (docs/sandbox.md "Docker panel")', schema: { type: 'string' } })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: this user already follows 3 logs' })
  follow(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Query() query: DockerLogFollowQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.follows.follow(caller, id, query.tail ?? DEFAULT_TAIL, request, response);
  }

  /**
   * Restarts an allowlisted container through governance (docker_restart): 200 with the verified
   * action when it ran (MODERATE: operators and admins), 202 with the approval request when the
   * policy makes it wait for an admin.
   */
  @Post('containers/:id/restart')
  @RateLimit('tools')
  @HttpCode(HttpStatus.OK)
  @ApiExtraModels(PendingApprovalDto)
  @ApiOkResponse({ type: ExecutedActionDto })
  @ApiAcceptedResponse({ type: PendingApprovalDto })
  async restart(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() body: DockerRestartDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ExecutedActionDto | PendingApprovalDto> {
    return executionResponse(await this.docker.restart(caller, id, body.justification), response);
  }
}
