import { PROVIDER_NAMES, type ProviderName } from '@aegis/contracts';
import { USAGE_DIMENSIONS, type UsageDimension } from '@aegis/providers';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class ProviderFailureDto {
  @ApiProperty({ type: String, format: 'date-time' })
  at: string;

  @ApiProperty({ example: 'openai: server error, HTTP 500' })
  reason: string;
}

export class ProviderStatusDto {
  @ApiProperty({ enum: PROVIDER_NAMES, enumName: 'ProviderName' })
  name: ProviderName;

  @ApiProperty({ description: 'A key is configured (Ollama needs none)' })
  configured: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'Index in PROVIDER_ORDER; null when the cascade does not use it' })
  position: number | null;

  @ApiProperty({ enum: ['closed', 'open', 'half-open', 'isolated'] })
  circuit: 'closed' | 'open' | 'half-open' | 'isolated';

  @ApiProperty({ type: Boolean, nullable: true, description: 'Whether the base URL answered a probe; null when not probed' })
  reachable: boolean | null;

  @ApiProperty({ example: 'gpt-4.1-mini' })
  defaultModel: string;

  @ApiProperty({ type: [String] })
  models: string[];

  @ApiProperty({ type: String, nullable: true, description: 'The embedding model, on the one provider that embeds' })
  embeddingModel: string | null;

  @ApiProperty({ type: ProviderFailureDto, nullable: true })
  lastFailure: ProviderFailureDto | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When a request to it last succeeded; null since the server started',
  })
  lastSuccessAt: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When `reachable` was last learned (a probe, cached 30 s, or real traffic); null until probed',
  })
  reachabilityCheckedAt: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'sk-…abcd', description: 'Admins only: the configured key, masked' })
  key?: string | null;
}

export class ProviderListDto {
  @ApiProperty({ type: [ProviderStatusDto] })
  items: ProviderStatusDto[];
}

const splitList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0)
    : value;

/** The usage filters both usage reports take: a range of UTC days, a user, a provider, a model. */
export class UsageFilterDto {
  @ApiPropertyOptional({ format: 'date', description: 'First UTC day (inclusive); default 29 days before `to`' })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a day like 2026-03-01' })
  @IsISO8601({ strict: true }, { message: 'from must be a real calendar day' })
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Last UTC day (inclusive); default today' })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a day like 2026-03-31' })
  @IsISO8601({ strict: true }, { message: 'to must be a real calendar day' })
  to?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ enum: PROVIDER_NAMES, enumName: 'ProviderName' })
  @IsOptional()
  @IsIn(PROVIDER_NAMES)
  provider?: ProviderName;

  @ApiPropertyOptional({ example: 'gpt-4.1-mini' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(/^[\w.:/@-]+$/, { message: 'model may contain letters, digits and . : / @ - _ only' })
  model?: string;
}

export class UsageQueryDto extends UsageFilterDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  conversationId?: string;

  @ApiPropertyOptional({ description: `Comma list of ${USAGE_DIMENSIONS.join(', ')}; default day,user,provider`, example: 'day,provider' })
  @IsOptional()
  @Transform(splitList)
  @IsArray()
  @ArrayMaxSize(USAGE_DIMENSIONS.length)
  @IsIn(USAGE_DIMENSIONS, { each: true, message: `groupBy accepts ${USAGE_DIMENSIONS.join(', ')}` })
  groupBy?: UsageDimension[];

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class UsageTotalsDto {
  @ApiProperty()
  requests: number;

  @ApiProperty()
  inputTokens: number;

  @ApiProperty()
  outputTokens: number;

  @ApiProperty({ description: 'US dollars × 10⁶, exact' })
  costMicroDollars: number;

  @ApiProperty({ description: 'The same cost in dollars' })
  costUsd: number;
}

export class UsageRowDto extends UsageTotalsDto {
  @ApiPropertyOptional({ format: 'date' })
  day?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  userId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  username?: string | null;

  @ApiPropertyOptional({ enum: PROVIDER_NAMES, enumName: 'ProviderName' })
  provider?: string;

  @ApiPropertyOptional()
  model?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  conversationId?: string | null;
}

export class UsageReportDto {
  @ApiProperty({ format: 'date' })
  from: string;

  @ApiProperty({ format: 'date' })
  to: string;

  @ApiProperty({ enum: USAGE_DIMENSIONS, isArray: true })
  groupBy: UsageDimension[];

  @ApiProperty({ type: [UsageRowDto] })
  items: UsageRowDto[];

  @ApiProperty({ type: UsageTotalsDto })
  totals: UsageTotalsDto;

  @ApiProperty({ description: 'More groups matched than `limit`' })
  truncated: boolean;
}
