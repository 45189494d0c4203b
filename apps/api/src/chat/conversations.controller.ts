import { CurrentPrincipal, type Principal } from '@aegis/auth';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../http/uuid.pipe';
import {
  ChatMessageListDto,
  ConversationDto,
  ConversationListQueryDto,
  ConversationPageDto,
  CreateConversationDto,
  RenameConversationDto,
} from './conversations.dto';
import { ConversationsService } from './conversations.service';

@ApiTags('conversations')
@Controller('conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  /** The caller's own conversations, most recently active first. */
  @Get()
  @ApiOkResponse({ type: ConversationPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ConversationListQueryDto): Promise<ConversationPageDto> {
    return this.conversations.list(principal.userId, query.cursor, query.q);
  }

  @Post()
  @ApiCreatedResponse({ type: ConversationDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateConversationDto): Promise<ConversationDto> {
    return this.conversations.create(principal.userId, body.title);
  }

  /** Every message of one of the caller's conversations, oldest first (404 for anyone else's). */
  @Get(':id/messages')
  @ApiOkResponse({ type: ChatMessageListDto })
  async messages(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string): Promise<ChatMessageListDto> {
    return { items: await this.conversations.messages(id, principal.userId) };
  }

  /** Renames one of the caller's conversations (404 for anyone else's). */
  @Patch(':id')
  @ApiOkResponse({ type: ConversationDto })
  rename(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: RenameConversationDto,
  ): Promise<ConversationDto> {
    return this.conversations.rename(id, principal.userId, body.title);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  delete(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string): Promise<void> {
    return this.conversations.delete(id, principal.userId);
  }
}
