import { MinRole } from '@aegis/auth';
import { Role } from '@aegis/contracts';
import { UsageReports } from '@aegis/providers';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UsageQueryDto, UsageReportDto } from './providers.dto';

const DEFAULT_LIMIT = 500;

@ApiTags('usage')
@MinRole(Role.Admin)
@Controller('usage')
export class UsageController {
  constructor(private readonly reports: UsageReports) {}

  /** Tokens and cost summed by day, user, provider, model or conversation, over at most 366 days. */
  @Get()
  @ApiOkResponse({ type: UsageReportDto })
  report(@Query() query: UsageQueryDto): Promise<UsageReportDto> {
    return this.reports.report({ ...query, limit: query.limit ?? DEFAULT_LIMIT });
  }
}
