import { clientOf, CurrentPrincipal, MinRole, type Principal, SessionOnly, UsersService } from '@aegis/auth';
import { Role } from '@aegis/contracts';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { UuidPipe } from '../http/uuid.pipe';
import { CreateUserDto, UpdateUserDto, UserDto, UserListDto } from './auth.dto';

/** User administration needs an admin's signed-in session; even an admin's API key is refused. */
@ApiTags('users')
@MinRole(Role.Admin)
@SessionOnly()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: UserListDto })
  async list(): Promise<UserListDto> {
    return { items: await this.users.list() };
  }

  @Post()
  @ApiCreatedResponse({ type: UserDto })
  create(@CurrentPrincipal() actor: Principal, @Body() body: CreateUserDto, @Req() request: Request): Promise<UserDto> {
    return this.users.create(actor, body, clientOf(request));
  }

  /** Change a role, disable or enable, or set a new password; takes effect at the user's next refresh at the latest. */
  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  update(
    @CurrentPrincipal() actor: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: UpdateUserDto,
    @Req() request: Request,
  ): Promise<UserDto> {
    return this.users.update(actor, id, body, clientOf(request));
  }

  /** Disables the user (accounts are kept so the audit trail keeps its names) and ends their sessions. */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  async disable(@CurrentPrincipal() actor: Principal, @Param('id', UuidPipe) id: string, @Req() request: Request): Promise<void> {
    await this.users.update(actor, id, { disabled: true }, clientOf(request));
  }
}
