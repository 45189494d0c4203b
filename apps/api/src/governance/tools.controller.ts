import { CurrentPrincipal, type Principal, RateLimit } from '@aegis/auth';
import { ToolRegistry } from '@aegis/governance';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { callerOf } from './caller';
import { ExecutedActionDto, ExecuteToolDto, PendingApprovalDto, ToolListDto } from './governance.dto';
import { executionResponse } from './present';

@ApiTags('tools')
@Controller('tools')
export class ToolsController {
  constructor(private readonly registry: ToolRegistry) {}

  /** Every tool with its class and minimum role (callers below a tool's minRole are refused when they run it). */
  @Get()
  @ApiOkResponse({ type: ToolListDto })
  list(): ToolListDto {
    return { items: this.registry.list() };
  }

  /**
   * Runs a tool through governance: 200 when it ran (and, from MODERATE up, was verified), 202 when
   * it waits for an admin's approval, 403 when policy or role refuse it, 422 for a missing
   * justification or invalid arguments (one line per problem in `details`).
   */
  @Post(':name/execute')
  @RateLimit('tools')
  @HttpCode(HttpStatus.OK)
  @ApiExtraModels(PendingApprovalDto)
  @ApiOkResponse({ type: ExecutedActionDto })
  @ApiAcceptedResponse({ type: PendingApprovalDto })
  async execute(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Body() body: ExecuteToolDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ExecutedActionDto | PendingApprovalDto> {
    return executionResponse(await this.registry.execute(name, body.args ?? {}, callerOf(principal, request), body.justification), response);
  }
}
