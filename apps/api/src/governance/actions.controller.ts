import { CurrentPrincipal, MinRole, type Principal } from '@aegis/auth';
import { Role } from '@aegis/contracts';
import { ToolRegistry } from '@aegis/governance';
import { Body, Controller, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { callerOf } from './caller';
import { RollbackDto, RollbackResultDto } from './governance.dto';

@ApiTags('actions')
@MinRole(Role.Admin)
@Controller('actions')
export class ActionsController {
  constructor(private readonly registry: ToolRegistry) {}

  /** Undoes a recorded action (restores a file's previous content, deletes a created file, resets a pull); audited. */
  @Post(':id/rollback')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: RollbackResultDto })
  rollback(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
    @Body() body: RollbackDto,
    @Req() request: Request,
  ): Promise<RollbackResultDto> {
    return this.registry.rollback(id, callerOf(principal, request), body.reason?.trim() || undefined);
  }
}
