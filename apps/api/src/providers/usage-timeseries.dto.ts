import { PROVIDER_NAMES } from '@aegis/contracts';
import { USAGE_DEFAULT_SERIES_LIMIT, USAGE_SERIES_DIMENSIONS, type UsageSeriesDimension } from '@aegis/providers';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { UsageFilterDto, UsageTotalsDto } from './providers.dto';

export class UsageTimeseriesQueryDto extends UsageFilterDto {
  @ApiPropertyOptional({
    enum: USAGE_SERIES_DIMENSIONS,
    default: 'provider',
    description: 'One series per provider, per model (of a provider) or per user',
  })
  @IsOptional()
  @IsIn(USAGE_SERIES_DIMENSIONS, { message: `groupBy must be one of ${USAGE_SERIES_DIMENSIONS.join(', ')}` })
  groupBy?: UsageSeriesDimension;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 50,
    default: USAGE_DEFAULT_SERIES_LIMIT,
    description: 'Series named, biggest cost first; the rest are summed into one series with key `other`',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  series?: number;
}

export class UsagePointDto {
  @ApiProperty({ format: 'date' })
  day: string;

  @ApiProperty()
  requests: number;

  @ApiProperty()
  inputTokens: number;

  @ApiProperty()
  outputTokens: number;

  @ApiProperty({ description: 'US dollars × 10⁶, exact' })
  costMicroDollars: number;
}

export class UsageSeriesDto {
  @ApiProperty({
    example: 'openai',
    description: 'The provider, `provider/model`, the user id (`none` for usage without a user), or `other`',
  })
  key: string;

  @ApiProperty({ example: 'gpt-4.1-mini (openai)', description: 'What a legend shows' })
  label: string;

  @ApiPropertyOptional({ enum: PROVIDER_NAMES, enumName: 'ProviderName' })
  provider?: string;

  @ApiPropertyOptional()
  model?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  userId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  username?: string | null;

  @ApiProperty({ type: [UsagePointDto], description: 'One point per day of `days`, same order, zero when unused' })
  points: UsagePointDto[];

  @ApiProperty({ type: UsageTotalsDto })
  totals: UsageTotalsDto;
}

export class RunLimitsDto {
  @ApiProperty({ description: 'Model turns one agent run may take' })
  maxSteps: number;

  @ApiProperty({ description: 'Tokens (input + output) one agent run may use' })
  maxTokens: number;

  @ApiProperty({ description: 'Wall-clock time one agent run may take, in milliseconds' })
  deadlineMs: number;
}

export class UsageBudgetsDto {
  @ApiProperty({ enum: ['day', 'month'], description: 'PROVIDER_BUDGET_PERIOD (UTC)' })
  period: 'day' | 'month';

  @ApiProperty({ enum: ['enforce', 'warn'], description: 'PROVIDER_BUDGET_MODE' })
  mode: 'enforce' | 'warn';

  @ApiProperty({ format: 'date', description: 'First UTC day of the current budget period' })
  periodStart: string;

  @ApiProperty({ type: Number, nullable: true, description: 'PROVIDER_BUDGET_GLOBAL_USD in micro-dollars per period; null when not set' })
  globalMicroDollars: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'PROVIDER_BUDGET_USER_USD (each user) in micro-dollars per period; null when not set',
  })
  perUserMicroDollars: number | null;

  @ApiProperty({ description: 'Spent and reserved by everyone since `periodStart`' })
  globalSpentMicroDollars: number;

  @ApiProperty({ type: RunLimitsDto, description: 'The limits of one agent run (tokens, not dollars)' })
  run: RunLimitsDto;
}

export class UsageTimeseriesDto {
  @ApiProperty({ format: 'date' })
  from: string;

  @ApiProperty({ format: 'date' })
  to: string;

  @ApiProperty({ enum: USAGE_SERIES_DIMENSIONS })
  groupBy: UsageSeriesDimension;

  @ApiProperty({ type: [String], format: 'date', description: 'Every UTC day from `from` to `to`, oldest first' })
  days: string[];

  @ApiProperty({ type: [UsageSeriesDto], description: 'Biggest cost first; `other` last when present' })
  series: UsageSeriesDto[];

  @ApiProperty({ type: [UsagePointDto], description: 'Each day summed over all series' })
  dailyTotals: UsagePointDto[];

  @ApiProperty({ type: UsageTotalsDto })
  totals: UsageTotalsDto;

  @ApiProperty({ type: UsageBudgetsDto })
  budgets: UsageBudgetsDto;
}
