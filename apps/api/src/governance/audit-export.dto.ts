import { ApiProperty, PickType } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { AuditQueryDto } from './governance.dto';

export const AUDIT_EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/** GET /api/audit/export: the list's filters (no paging: every matching entry) and the file format. */
export class AuditExportQueryDto extends PickType(AuditQueryDto, ['actor', 'action', 'class', 'decision', 'from', 'to'] as const) {
  @ApiProperty({ enum: AUDIT_EXPORT_FORMATS, description: 'ndjson: one JSON entry per line; csv: RFC 4180 with a header row' })
  @IsIn(AUDIT_EXPORT_FORMATS)
  format: AuditExportFormat;
}
