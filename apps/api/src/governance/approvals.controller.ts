import { CurrentPrincipal, MinRole, type Principal, SessionOnly } from '@aegis/auth';
import { Role } from '@aegis/contracts';
import { ApprovalService } from '@aegis/governance';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { callerOf } from './caller';
import { ApprovalDto, ApprovalListDto, ApprovalQueryDto, ApproveDto, ExecutedActionDto, RejectDto } from './governance.dto';
import { executedAction } from './present';

const DEFAULT_LIMIT = 100;

@ApiTags('approvals')
@MinRole(Role.Admin)
@Controller('approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalService) {}

  /** Approval requests, newest first; requests past their expiry are marked expired first. */
  @Get()
  @ApiOkResponse({ type: ApprovalListDto })
  async list(@Query() query: ApprovalQueryDto): Promise<ApprovalListDto> {
    return { items: await this.approvals.list(query.status, query.limit ?? DEFAULT_LIMIT) };
  }

  /** Approves a pending request and runs its action once, with the stored arguments. A human decides: API keys are refused. */
  @SessionOnly()
  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ExecutedActionDto })
  async approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
    @Body() body: ApproveDto,
    @Req() request: Request,
  ): Promise<ExecutedActionDto> {
    return executedAction(await this.approvals.approve(id, callerOf(principal, request), body.comment.trim()));
  }

  /** Rejects a pending request: its action never runs. */
  @SessionOnly()
  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ApprovalDto })
  reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
    @Body() body: RejectDto,
    @Req() request: Request,
  ): Promise<ApprovalDto> {
    return this.approvals.reject(id, callerOf(principal, request), body.reason.trim());
  }
}
