import { ActionClass, Role } from '@aegis/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OBJECT_SCHEMA } from '../http/object-schema';
import { OpaqueCursor, OptionalDateTime, PageLimit } from '../http/query-fields';
import { VerificationDto } from './execution.dto';

const ACTION_STATUSES = ['running', 'completed', 'failed'] as const;
const VERIFICATION_STATES = ['verified', 'failed', 'none'] as const;

const booleanWord = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export class ActionQueryDto {
  @ApiPropertyOptional({ description: 'A user or API key id, or the name the action recorded' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  actor?: string;

  @ApiPropertyOptional({ example: 'write_file' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'tool must be a tool name like write_file' })
  tool?: string;

  @ApiPropertyOptional({ enum: ActionClass, enumName: 'ActionClass' })
  @IsOptional()
  @IsEnum(ActionClass)
  class?: ActionClass;

  @ApiPropertyOptional({ enum: ACTION_STATUSES })
  @IsOptional()
  @IsIn(ACTION_STATUSES, { message: `status must be one of ${ACTION_STATUSES.join(', ')}` })
  status?: (typeof ACTION_STATUSES)[number];

  @ApiPropertyOptional({ enum: VERIFICATION_STATES, description: 'verified / failed (a check ran) or none (no check was reported)' })
  @IsOptional()
  @IsIn(VERIFICATION_STATES, { message: `verification must be one of ${VERIFICATION_STATES.join(', ')}` })
  verification?: (typeof VERIFICATION_STATES)[number];

  @ApiPropertyOptional({ type: Boolean, description: 'Whether the action can be undone now (whoever may do it)' })
  @IsOptional()
  @Transform(booleanWord)
  @IsBoolean({ message: 'rollbackable must be true or false' })
  rollbackable?: boolean;

  @OptionalDateTime()
  from?: string;

  @OptionalDateTime()
  to?: string;

  @OpaqueCursor('`nextCursor` of the previous page')
  cursor?: string;

  @PageLimit(50)
  limit?: number;
}

export class ActionActorDto {
  @ApiProperty({ enum: ['user', 'api_key', 'system'] })
  type: 'user' | 'api_key' | 'system';

  @ApiProperty({ type: String, nullable: true, description: 'The user id, or the API key id' })
  id: string | null;

  @ApiProperty({ type: String, nullable: true })
  name: string | null;

  @ApiProperty({ enum: Role, enumName: 'Role', description: 'The role the action ran with' })
  role: Role;
}

export class RollbackPreviewDto {
  @ApiProperty({ description: 'The action can be undone now (by an admin)' })
  available: boolean;

  @ApiProperty({ type: String, nullable: true, enum: ['restore_file', 'git_reset', 'apt_remove'] })
  kind: 'restore_file' | 'git_reset' | 'apt_remove' | null;

  @ApiProperty({
    example: "restores 'README.md' as it was before (1.2 KB)",
    description: 'What a rollback would do, or why the action cannot be undone (already rolled back, nothing recorded, …)',
  })
  description: string;
}

export class ActionListItemDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'write_file' })
  tool: string;

  @ApiProperty({ enum: ActionClass, enumName: 'ActionClass', description: 'The class governance decided for this call' })
  actionClass: ActionClass;

  @ApiProperty({ enum: ACTION_STATUSES })
  status: 'running' | 'completed' | 'failed';

  @ApiProperty({ type: ActionActorDto })
  actor: ActionActorDto;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The chat run that called the tool' })
  runId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The approval request it ran after' })
  approvalId: string | null;

  @ApiProperty({
    ...OBJECT_SCHEMA,
    nullable: true,
    description: 'The arguments as the audit log keeps them: secrets redacted, file contents as {sha256, bytes}',
  })
  args: Record<string, unknown> | null;

  @ApiProperty({ description: 'sha256 of the canonical JSON of the arguments as given' })
  argsSha256: string;

  @ApiProperty({ type: VerificationDto, nullable: true })
  verification: VerificationDto | null;

  @ApiProperty({ enum: VERIFICATION_STATES })
  verificationState: 'verified' | 'failed' | 'none';

  @ApiProperty({ example: 'completed; verified: the file now has sha256 …', description: 'How the action ended, in one sentence' })
  summary: string;

  @ApiProperty({ type: String, nullable: true })
  errorCode: string | null;

  @ApiProperty({ type: String, nullable: true })
  errorMessage: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: Date | null;

  @ApiProperty({ type: RollbackPreviewDto })
  rollback: RollbackPreviewDto;

  @ApiProperty({ description: 'The caller may roll it back now (it can be undone and the caller is an admin)' })
  canRollback: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  rolledBackAt: Date | null;

  @ApiProperty({ type: String, nullable: true })
  rolledBackByName: string | null;
}

export class ActionPageDto {
  @ApiProperty({ type: [ActionListItemDto], description: 'Newest first' })
  items: ActionListItemDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null on the last page' })
  nextCursor: string | null;
}

export class RollbackDto {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class RollbackResultDto {
  @ApiProperty({ format: 'uuid' })
  actionId: string;

  @ApiProperty({ enum: ['rolled_back'] })
  status: 'rolled_back';

  @ApiProperty({ enum: ['restore_file', 'git_reset'] })
  kind: string;

  @ApiProperty({ example: "restored the previous content of 'notes.txt' (sha256 …)" })
  detail: string;
}
