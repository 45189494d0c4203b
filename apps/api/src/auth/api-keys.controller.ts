import { ApiKeysService, clientOf, CurrentPrincipal, type Principal, SessionOnly } from '@aegis/auth';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { UuidPipe } from '../http/uuid.pipe';
import { ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto } from './auth.dto';

/** Listing, creating and revoking keys needs a signed-in session: a key cannot mint a successor or revoke its siblings. */
@ApiTags('api-keys')
@SessionOnly()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<ApiKeyListDto> {
    return { items: await this.apiKeys.list(principal.userId) };
  }

  /** The key is in this response only; it is stored hashed. */
  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto, @Req() request: Request): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(principal, body, clientOf(request));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string, @Req() request: Request): Promise<void> {
    await this.apiKeys.revoke(principal, id, clientOf(request));
  }
}
