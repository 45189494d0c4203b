import { CurrentCaller, MinRole } from '@aegis/auth';
import { Role } from '@aegis/contracts';
import { AuditLog, AuditRepository, type Caller } from '@aegis/governance';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditExport, auditEntryView } from './audit-export';
import { AuditExportQueryDto, AuditPageDto, AuditQueryDto, ChainVerificationDto } from './audit.dto';

const DEFAULT_LIMIT = 50;

/** The filters the list and the export share, as the audit repository takes them. */
function filterOf(query: AuditExportQueryDto | AuditQueryDto) {
  const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));
  return {
    actor: query.actor,
    action: query.action,
    actionClass: query.class,
    decision: query.decision,
    from: date(query.from),
    to: date(query.to),
  };
}

@ApiTags('audit')
@MinRole(Role.Admin)
@Controller('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditRepository,
    private readonly chain: AuditLog,
    private readonly exporter: AuditExport,
  ) {}

  /** The audit chain, newest first, filtered; `nextCursor` fetches the next (older) page. */
  @Get()
  @ApiOkResponse({ type: AuditPageDto })
  async list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    const page = await this.audit.list({ ...filterOf(query), cursor: query.cursor, limit: query.limit ?? DEFAULT_LIMIT });
    return { items: page.items.map(auditEntryView), nextCursor: page.nextCursor };
  }

  /** Every entry the filters match, newest first, streamed as an NDJSON or CSV download; the export is audited. */
  @Get('export')
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiOkResponse({
    description: 'A download (Content-Disposition: attachment; filename="aegis-audit-<from>-<to>.<ext>")',
    schema: { type: 'string' },
  })
  @ApiTooManyRequestsResponse({ description: 'An export of the same admin is still running' })
  export(@CurrentCaller() caller: Caller, @Query() query: AuditExportQueryDto, @Res() response: Response): Promise<void> {
    return this.exporter.send(caller, filterOf(query), query.format, response);
  }

  /** Walks the whole chain: any changed or removed entry breaks it at the first such entry, said in words. */
  @Get('verify')
  @ApiOkResponse({ type: ChainVerificationDto })
  verify(): Promise<ChainVerificationDto> {
    return this.chain.verify();
  }
}
