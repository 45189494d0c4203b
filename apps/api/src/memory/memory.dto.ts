import { MEMORY_CONTENT_MAX_LENGTH, MEMORY_MAX_LIMIT } from '@aegis/memory';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class MemoryQueryDto {
  @ApiPropertyOptional({ description: 'Search words; without it, the newest items' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  q?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (listing only)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MEMORY_MAX_LIMIT, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MEMORY_MAX_LIMIT)
  limit?: number;
}

export class CreateMemoryDto {
  @ApiProperty({ maxLength: MEMORY_CONTENT_MAX_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MEMORY_CONTENT_MAX_LENGTH)
  content: string;
}

export class MemoryItemDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['fact', 'summary'] })
  kind: 'fact' | 'summary';

  @ApiProperty()
  content: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The conversation it came from' })
  source: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class MemoryPageDto {
  @ApiProperty({ type: [MemoryItemDto] })
  items: MemoryItemDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
