import { ActionClass } from '@aegis/contracts';
import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';

import { IsEnum, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { OBJECT_SCHEMA } from '../http/object-schema';
import { OptionalDateTime, PageLimit, SequenceCursor } from '../http/query-fields';

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

  @OptionalDateTime()
  from?: string;

  @OptionalDateTime()
  to?: string;

  @SequenceCursor()
  cursor?: string;

  @PageLimit(50)
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

export const AUDIT_EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/** GET /api/audit/export: the list's filters (no paging: every matching entry) and the file format. */
export class AuditExportQueryDto extends PickType(AuditQueryDto, ['actor', 'action', 'class', 'decision', 'from', 'to'] as const) {
  @ApiProperty({ enum: AUDIT_EXPORT_FORMATS, description: 'ndjson: one JSON entry per line; csv: RFC 4180 with a header row' })
  @IsIn(AUDIT_EXPORT_FORMATS)
  format: AuditExportFormat;
}
