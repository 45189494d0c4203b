import { CurrentPrincipal, type Principal } from '@aegis/auth';
import { MemoryService } from '@aegis/memory';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../http/uuid.pipe';
import { CreateMemoryDto, MemoryItemDto, MemoryPageDto, MemoryQueryDto } from './memory.dto';

@ApiTags('memory')
@Controller('memory')
export class MemoryController {
  constructor(private readonly memory: MemoryService) {}

  /** With `q`: the best matches (one page, no cursor); without: the newest items, paged. */
  @Get()
  @ApiOkResponse({ type: MemoryPageDto })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: MemoryQueryDto): Promise<MemoryPageDto> {
    if (query.q?.trim()) return { items: await this.memory.search(principal.userId, query.q, query.limit), nextCursor: null };
    return this.memory.list(principal.userId, query.cursor, query.limit);
  }

  @Post()
  @ApiCreatedResponse({ type: MemoryItemDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateMemoryDto): Promise<MemoryItemDto> {
    return this.memory.save(principal.userId, body.content, { kind: 'fact' });
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string): Promise<void> {
    await this.memory.delete(principal.userId, id);
  }
}
