import { CurrentCaller, CurrentPrincipal, type Principal, RateLimit } from '@aegis/auth';
import { type Caller, ToolRegistry, toolListingFor } from '@aegis/governance';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExecutedActionDto, PendingApprovalDto } from './execution.dto';
import { executionResponse } from './present';
import { ExecuteToolDto, ToolCatalogDto } from './tools.dto';

@ApiTags('tools')
@Controller('tools')
export class ToolsController {
  constructor(private readonly registry: ToolRegistry) {}

  /**
   * Every tool with its class, minimum role, JSON Schema of its arguments, and what the policy
   * means for the caller's role (whether a justification or an approval is needed, or a refusal).
   */
  @Get()
  @ApiOkResponse({ type: ToolCatalogDto })
  list(@CurrentPrincipal() principal: Principal): ToolCatalogDto {
    return { role: principal.role, items: toolListingFor(this.registry.list(), principal.role) };
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
    @CurrentCaller() caller: Caller,
    @Param('name') name: string,
    @Body() body: ExecuteToolDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ExecutedActionDto | PendingApprovalDto> {
    return executionResponse(await this.registry.execute(name, body.args ?? {}, caller, body.justification), response);
  }
}
