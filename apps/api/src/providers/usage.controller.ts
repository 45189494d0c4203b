import { MinRole } from '@aegis/auth';
import { Role } from '@aegis/contracts';
import { UsageReports, UsageTimeseriesReports } from '@aegis/providers';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DEFAULT_CHAT_SETTINGS } from '../chat/chat.settings';
import { UsageQueryDto, UsageReportDto } from './providers.dto';
import { UsageTimeseriesDto, UsageTimeseriesQueryDto } from './usage-timeseries.dto';

const DEFAULT_LIMIT = 500;

@ApiTags('usage')
@MinRole(Role.Admin)
@Controller('usage')
export class UsageController {
  constructor(
    private readonly reports: UsageReports,
    private readonly timeseriesReports: UsageTimeseriesReports,
  ) {}

  /** Tokens and cost summed by day, user, provider, model or conversation, over at most 366 days. */
  @Get()
  @ApiOkResponse({ type: UsageReportDto })
  report(@Query() query: UsageQueryDto): Promise<UsageReportDto> {
    return this.reports.report({ ...query, limit: query.limit ?? DEFAULT_LIMIT });
  }

  /** Day buckets for a chart: one zero-filled series per provider, model or user, totals, and the budgets in force. */
  @Get('timeseries')
  @ApiOkResponse({ type: UsageTimeseriesDto })
  async timeseries(@Query() query: UsageTimeseriesQueryDto): Promise<UsageTimeseriesDto> {
    const { series, ...filters } = query;
    const report = await this.timeseriesReports.timeseries({ ...filters, seriesLimit: series });
    // The chat's run limits are fixed in code (apps/api/src/chat/chat.settings.ts), not configured.
    return { ...report, budgets: { ...report.budgets, run: { ...DEFAULT_CHAT_SETTINGS.limits } } };
  }
}
