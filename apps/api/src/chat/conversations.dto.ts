import type { RunStatus, ToolCallRecord } from '@aegis/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class CreateConversationDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'Default: "New conversation"' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;
}

export class RenameConversationDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'title must not be blank' })
  title: string;
}

export class ConversationListQueryDto {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Only conversations whose title contains this text (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ConversationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ConversationPageDto {
  @ApiProperty({ type: [ConversationDto] })
  items: ConversationDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

const OBJECT_SCHEMA = { type: 'object', additionalProperties: true } as const;

export class ChatMessageDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  conversationId: string;

  @ApiProperty({ enum: ['user', 'assistant'] })
  role: 'user' | 'assistant';

  @ApiProperty()
  content: string;

  @ApiProperty({ type: [String] })
  fileIds: string[];

  @ApiProperty({ type: 'array', items: OBJECT_SCHEMA, description: 'Tool calls with their arguments, status, output, action and approval ids' })
  toolCalls: ToolCallRecord[];

  @ApiProperty({ type: String, nullable: true })
  model: string | null;

  @ApiProperty({ type: String, nullable: true })
  provider: string | null;

  @ApiProperty()
  inputTokens: number;

  @ApiProperty()
  outputTokens: number;

  @ApiProperty()
  costMicroDollars: number;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  runId: string | null;

  @ApiProperty({ type: String, nullable: true, enum: ['completed', 'cancelled', 'budget_exhausted', 'failed'] })
  status: RunStatus | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class ChatMessageListDto {
  @ApiProperty({ type: [ChatMessageDto] })
  items: ChatMessageDto[];
}
