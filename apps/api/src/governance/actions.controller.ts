import { CurrentCaller, CurrentPrincipal, MinRole, type Principal } from '@aegis/auth';
import { Role } from '@aegis/contracts';
import { type Caller, ToolActionRepository, ToolRegistry } from '@aegis/governance';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../http/uuid.pipe';
import { ActionPageDto, ActionQueryDto, RollbackDto, RollbackResultDto } from './actions.dto';

const DEFAULT_LIMIT = 50;

@ApiTags('actions')
@MinRole(Role.Admin)
@Controller('actions')
export class ActionsController {
  constructor(
    private readonly registry: ToolRegistry,
    private readonly actions: ToolActionRepository,
  ) {}

  /**
   * Recorded tool actions, newest first, filtered; `nextCursor` fetches the next (older) page. Admins
   * see everyone's; anyone else sees only the actions they ran themselves (or through their API keys).
   */
  @Get()
  @MinRole(Role.Viewer)
  @ApiOkResponse({ type: ActionPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ActionQueryDto): Promise<ActionPageDto> {
    const isAdmin = principal.role === Role.Admin;
    return this.actions.list(
      {
        ownerUserId: isAdmin ? undefined : principal.userId,
        actor: query.actor,
        tool: query.tool,
        actionClass: query.class,
        status: query.status,
        verification: query.verification,
        rollbackable: query.rollbackable,
        from: query.from === undefined ? undefined : new Date(query.from),
        to: query.to === undefined ? undefined : new Date(query.to),
        cursor: query.cursor,
        limit: query.limit ?? DEFAULT_LIMIT,
      },
      isAdmin,
    );
  }

  /** Undoes a recorded action (restores a file's previous content, deletes a created file, resets a pull); audited. */
  @Post(':id/rollback')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: RollbackResultDto })
  rollback(@CurrentCaller() caller: Caller, @Param('id', UuidPipe) id: string, @Body() body: RollbackDto): Promise<RollbackResultDto> {
    return this.registry.rollback(id, caller, body.reason?.trim() || undefined);
  }
}
