import { ActionClass, APPROVAL_STATUSES, type ApprovalStatus, Role } from '@aegis/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OBJECT_SCHEMA } from '../http/object-schema';
import { OpaqueCursor, PageLimit } from '../http/query-fields';

export class ApprovalQueryDto {
  @ApiPropertyOptional({
    enum: APPROVAL_STATUSES,
    enumName: 'ApprovalStatus',
    isArray: true,
    description:
      'Only these statuses (repeat the parameter or separate with commas). The tabs: queue `pending`; approved `approved,executing,executed,failed`; rejected `rejected`; expired `expired`. Default: all',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(',')).filter((item) => item !== ''),
  )
  @IsArray()
  @ArrayMaxSize(APPROVAL_STATUSES.length)
  @IsIn(APPROVAL_STATUSES, { each: true })
  status?: ApprovalStatus[];

  @OpaqueCursor()
  cursor?: string;

  @PageLimit(100)
  limit?: number;
}

export class ApprovalRequesterDto {
  @ApiProperty({ enum: ['user', 'api_key'] })
  type: 'user' | 'api_key';

  @ApiProperty({ description: 'The user id, or the API key id' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ format: 'uuid', description: "The user (an API key's owner)" })
  userId: string;

  @ApiProperty({ enum: Role, enumName: 'Role', description: 'The role the action runs with once approved' })
  role: Role;
}

export class ApprovalDeciderDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;
}

export class ApprovalDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'apt_install' })
  tool: string;

  @ApiProperty({ enum: ActionClass, enumName: 'ActionClass' })
  actionClass: ActionClass;

  @ApiProperty({ ...OBJECT_SCHEMA, description: 'The stored arguments an approval runs, exactly (secret-looking fields redacted here)' })
  args: Record<string, unknown>;

  @ApiProperty({ description: 'sha256 of the canonical JSON of the arguments' })
  argsSha256: string;

  @ApiProperty()
  justification: string;

  @ApiProperty({ type: ApprovalRequesterDto })
  requestedBy: ApprovalRequesterDto;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The agent run that asked (origin chat)' })
  runId: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: "That run's conversation, for a link; null outside a chat (and for requests stored before it was kept)",
  })
  conversationId: string | null;

  @ApiProperty({
    enum: ['chat', 'http', 'api_key'],
    enumName: 'ApprovalOrigin',
    description: 'An agent run in a chat, an HTTP call with a session, or an API key',
  })
  origin: 'chat' | 'http' | 'api_key';

  @ApiProperty({ enum: APPROVAL_STATUSES, enumName: 'ApprovalStatus' })
  status: ApprovalStatus;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt: Date;

  @ApiProperty({ type: ApprovalDeciderDto, nullable: true })
  decidedBy: ApprovalDeciderDto | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt: Date | null;

  @ApiProperty({ type: String, nullable: true, description: "The approver's comment or the rejection's reason" })
  comment: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The action an approval ran' })
  actionId: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['running', 'completed', 'failed', 'rolled_back'],
    description: 'How that action stands now; null when none ran',
  })
  actionStatus: 'running' | 'completed' | 'failed' | 'rolled_back' | null;
}

export class ApprovalListDto {
  @ApiProperty({ type: [ApprovalDto], description: 'Newest first' })
  items: ApprovalDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null on the last page' })
  nextCursor: string | null;
}

export class ApproveDto {
  @ApiPropertyOptional({ maxLength: 1000, description: 'Why it may run; optional (a reject needs a reason, an approval does not)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  comment?: string;
}

export class RejectDto {
  @ApiProperty({ maxLength: 1000, description: 'Why it may not run' })
  @IsString()
  @IsNotEmpty()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(1000)
  reason: string;
}
