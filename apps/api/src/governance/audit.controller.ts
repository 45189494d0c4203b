import { MinRole } from '@aegis/auth';
import { Role } from '@aegis/contracts';
import { AuditQueries } from '@aegis/governance';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditPageDto, AuditQueryDto, ChainVerificationDto } from './governance.dto';

const DEFAULT_LIMIT = 50;

@ApiTags('audit')
@MinRole(Role.Admin)
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditQueries) {}

  /** The audit chain, newest first, filtered; `nextCursor` fetches the next (older) page. */
  @Get()
  @ApiOkResponse({ type: AuditPageDto })
  list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list({
      actor: query.actor,
      action: query.action,
      actionClass: query.class,
      decision: query.decision,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      cursor: query.cursor,
      limit: query.limit ?? DEFAULT_LIMIT,
    });
  }

  /** Walks the whole chain: any changed or removed entry breaks it at the first such entry. */
  @Get('verify')
  @ApiOkResponse({ type: ChainVerificationDto })
  verify(): Promise<ChainVerificationDto> {
    return this.audit.verify();
  }
}
