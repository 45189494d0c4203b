import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

export class HealthIndicatorDto {
  @ApiProperty({ enum: ['up', 'down'] })
  status: 'up' | 'down';

  @ApiPropertyOptional()
  message?: string;

  @ApiPropertyOptional({ description: 'For the sandbox: docker, bwrap, direct or none' })
  driver?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'For providers: circuit state by provider',
  })
  circuits?: Record<string, string>;
}

const indicators = { type: 'object', additionalProperties: { $ref: getSchemaPath(HealthIndicatorDto) } } as const;

/** The @nestjs/terminus report: one entry per dependency (database; later sandbox and providers). */
export class HealthReportDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status: 'ok' | 'error' | 'shutting_down';

  @ApiPropertyOptional(indicators)
  info?: Record<string, HealthIndicatorDto>;

  @ApiPropertyOptional(indicators)
  error?: Record<string, HealthIndicatorDto>;

  @ApiProperty(indicators)
  details: Record<string, HealthIndicatorDto>;
}
