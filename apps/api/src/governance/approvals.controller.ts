import { CurrentCaller, MinRole, SessionOnly } from '@aegis/auth';
import { AegisError, ErrorCode, isUuid, Role } from '@aegis/contracts';
import { type ApprovalPosition, ApprovalService, type Caller } from '@aegis/governance';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../http/uuid.pipe';
import { ApprovalDto, ApprovalListDto, ApprovalQueryDto, ApproveDto, RejectDto } from './approvals.dto';
import { ExecutedActionDto } from './execution.dto';
import { executedAction } from './present';

const DEFAULT_LIMIT = 100;

/** The opaque `nextCursor`: the last request's creation time and id. */
function encodeCursor(position: ApprovalPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`).toString('base64url');
}

function decodeCursor(cursor: string): ApprovalPosition {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !isUuid(id) || Number.isNaN(createdAt.getTime()))
    throw new AegisError(ErrorCode.ValidationFailed, 'cursor must be the nextCursor of a previous page');
  return { createdAt, id };
}

@ApiTags('approvals')
@MinRole(Role.Admin)
@Controller('approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalService) {}

  /** Approval requests, newest first, by status, a page at a time; requests past their expiry are marked expired first. */
  @Get()
  @ApiOkResponse({ type: ApprovalListDto })
  async list(@Query() query: ApprovalQueryDto): Promise<ApprovalListDto> {
    const page = await this.approvals.page(
      query.status ?? [],
      query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      query.limit ?? DEFAULT_LIMIT,
    );
    return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
  }

  /** Approves a pending request and runs its action once, with the stored arguments. A human decides: API keys are refused. */
  @SessionOnly()
  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ExecutedActionDto })
  async approve(@CurrentCaller() caller: Caller, @Param('id', UuidPipe) id: string, @Body() body: ApproveDto): Promise<ExecutedActionDto> {
    return executedAction(await this.approvals.approve(id, caller, body.comment?.trim() || null));
  }

  /** Rejects a pending request: its action never runs. */
  @SessionOnly()
  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ApprovalDto })
  reject(@CurrentCaller() caller: Caller, @Param('id', UuidPipe) id: string, @Body() body: RejectDto): Promise<ApprovalDto> {
    return this.approvals.reject(id, caller, body.reason.trim());
  }
}
