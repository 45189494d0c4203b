import { ActionClass, type RunStatus, type ToolCallStatus } from '@aegis/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OBJECT_SCHEMA } from '../http/object-schema';

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

const TOOL_CALL_STATUSES: readonly ToolCallStatus[] = ['completed', 'failed', 'refused', 'rejected', 'expired', 'cancelled'];

/** A tool call as its message keeps it (ToolCallRecord in libs/contracts). */
export class ToolCallDto {
  @ApiProperty({ description: "The model's id for the call (`toolCallId` of `tool:call`, `tool:result` and `approval:required`)" })
  toolCallId: string;

  @ApiProperty({ example: 'read_file' })
  tool: string;

  @ApiProperty({ ...OBJECT_SCHEMA, description: 'The arguments the model gave (without its justification)' })
  args: unknown;

  @ApiProperty({ enum: TOOL_CALL_STATUSES })
  status: ToolCallStatus;

  @ApiProperty({
    enum: ActionClass,
    enumName: 'ActionClass',
    nullable: true,
    description: 'The class governance decided for the call (raised by its arguments where they matter); null when it was never classified',
  })
  actionClass: ActionClass | null;

  @ApiProperty({
    description: "The tool's output, or the reason it was refused, failed or did not run",
    nullable: true,
    oneOf: [{ type: 'string' }, OBJECT_SCHEMA],
  })
  output: unknown;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The action it ran, if any' })
  actionId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The approval request it waited for, if any' })
  approvalId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The error code of a refusal or failure' })
  errorCode: string | null;
}

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

  @ApiProperty({ type: [ToolCallDto], description: 'Tool calls with their arguments, class, status, output, action and approval ids' })
  toolCalls: ToolCallDto[];

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
