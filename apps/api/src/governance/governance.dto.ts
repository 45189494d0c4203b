import { ActionClass, APPROVAL_STATUSES, type ApprovalStatus, Role } from '@aegis/contracts';
import { JUSTIFICATION_MAX_LENGTH } from '@aegis/governance';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const OBJECT_SCHEMA = { type: 'object', additionalProperties: true } as const;

export class ToolDto {
  @ApiProperty({ example: 'write_file' })
  name: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ enum: ActionClass, enumName: 'ActionClass', description: "The tool's class; execute_command is classified per call by its program" })
  actionClass: ActionClass;

  @ApiProperty({ enum: Role, enumName: 'Role', description: 'Callers below this role are refused' })
  minRole: Role;

  @ApiProperty({ ...OBJECT_SCHEMA, description: 'JSON Schema (draft 2020-12) of `args`' })
  argsSchema: Record<string, unknown>;
}

export class ToolListDto {
  @ApiProperty({ type: [ToolDto] })
  items: ToolDto[];
}

export class ExecuteToolDto {
  @ApiPropertyOptional({ ...OBJECT_SCHEMA, description: "The tool's arguments (see its argsSchema); default {}" })
  @IsOptional()
  @IsObject()
  args?: Record<string, unknown>;

  @ApiPropertyOptional({
    maxLength: JUSTIFICATION_MAX_LENGTH,
    description: 'Why the action is needed: required for SENSITIVE and CRITICAL actions (at least 20 characters and 3 words)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(JUSTIFICATION_MAX_LENGTH)
  justification?: string;
}

export class VerificationDto {
  @ApiProperty()
  verified: boolean;

  @ApiProperty({ example: 'the file now has sha256 …' })
  detail: string;
}

export class RollbackAvailabilityDto {
  @ApiProperty()
  available: boolean;

  @ApiPropertyOptional({ enum: ['restore_file', 'git_reset', 'apt_remove'] })
  kind?: string;

  @ApiPropertyOptional({ description: 'What undoing would do, or why the action cannot be undone' })
  reason?: string;
}

export class ActionResultDto {
  @ApiProperty({ enum: ['completed', 'failed'] })
  status: 'completed' | 'failed';

  @ApiProperty({ enum: ActionClass, enumName: 'ActionClass' })
  actionClass: ActionClass;

  @ApiProperty({ ...OBJECT_SCHEMA, description: "The tool's output" })
  output: unknown;

  @ApiProperty({ type: VerificationDto, nullable: true })
  verification: VerificationDto | null;

  @ApiProperty({ type: RollbackAvailabilityDto })
  rollback: RollbackAvailabilityDto;
}

export class ExecutedActionDto {
  @ApiProperty({ format: 'uuid' })
  actionId: string;

  @ApiProperty({ type: ActionResultDto })
  result: ActionResultDto;
}

export class PendingApprovalDto {
  @ApiProperty({ format: 'uuid' })
  approvalId: string;

  @ApiProperty({ enum: ['pending'] })
  status: 'pending';

  @ApiProperty({ enum: ActionClass, enumName: 'ActionClass' })
  actionClass: ActionClass;

  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt: Date;
}

export class ApprovalQueryDto {
  @ApiPropertyOptional({
    enum: APPROVAL_STATUSES,
    enumName: 'ApprovalStatus',
    isArray: true,
    description:
      'Only these statuses (repeat the parameter or separate with commas). The tabs: queue `pending`; approved `approved,executing,executed,failed`; rejected `rejected`; expired `expired`. Default: all',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(',')).filter((item) => item !== ''))
  @IsArray()
  @ArrayMaxSize(APPROVAL_STATUSES.length)
  @IsIn(APPROVAL_STATUSES, { each: true })
  status?: ApprovalStatus[];

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
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

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "That run's conversation, for a link; null outside a chat (and for requests stored before it was kept)" })
  conversationId: string | null;

  @ApiProperty({ enum: ['chat', 'http', 'api_key'], enumName: 'ApprovalOrigin', description: 'An agent run in a chat, an HTTP call with a session, or an API key' })
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

  @ApiProperty({ type: String, nullable: true, enum: ['running', 'completed', 'failed', 'rolled_back'], description: 'How that action stands now; null when none ran' })
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

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'A user or API key id, or a username' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  actor?: string;

  @ApiPropertyOptional({ description: 'An action (`tool.write_file`), or a prefix ending in `*` (`tool.*`)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  action?: string;

  @ApiPropertyOptional({ enum: ActionClass, enumName: 'ActionClass' })
  @IsOptional()
  @IsEnum(ActionClass)
  class?: ActionClass;

  @ApiPropertyOptional({ example: 'refused', description: 'allowed, refused, pending, approved, expired' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  decision?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,18}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class AuditEntryDto {
  @ApiProperty({ description: 'Increasing; a string (bigint)' })
  id: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ enum: ['user', 'api_key', 'anonymous', 'system'] })
  actorType: string;

  @ApiProperty({ type: String, nullable: true })
  actorId: string | null;

  @ApiProperty({ type: String, nullable: true })
  actorName: string | null;

  @ApiProperty({ type: String, nullable: true })
  role: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The agent run, when the agent acted' })
  runId: string | null;

  @ApiProperty({ example: 'tool.write_file' })
  action: string;

  @ApiProperty({ type: String, nullable: true, enum: ActionClass, enumName: 'ActionClass' })
  actionClass: string | null;

  @ApiProperty({ example: 'allowed' })
  decision: string;

  @ApiProperty({ type: String, nullable: true })
  reason: string | null;

  @ApiProperty({ ...OBJECT_SCHEMA, description: 'Secrets redacted, long strings shortened' })
  args: Record<string, unknown>;

  @ApiProperty({ ...OBJECT_SCHEMA, nullable: true })
  result: Record<string, unknown> | null;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;

  @ApiProperty({ description: 'Hash of the previous entry' })
  prevHash: string;

  @ApiProperty()
  hash: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items: AuditEntryDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class BrokenAuditEntryDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ description: "The entry's place in the chain, 1 for the oldest" })
  position: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ example: 'its content no longer matches its hash: the entry was changed after it was written' })
  reason: string;
}

export class ChainVerificationDto {
  @ApiProperty()
  valid: boolean;

  @ApiProperty({ description: 'Entries checked before the first broken one (all of them when valid)' })
  checked: number;

  @ApiProperty({ type: String, nullable: true })
  firstBrokenId: string | null;

  @ApiProperty({ type: BrokenAuditEntryDto, nullable: true, description: 'The first entry where the chain no longer holds, and why' })
  firstBroken: BrokenAuditEntryDto | null;

  @ApiProperty({ example: 'The chain is intact: 1204 entries match their hashes and links', description: 'The answer in a sentence' })
  message: string;
}
