import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** The largest page any list answers. */
export const MAX_PAGE_LIMIT = 200;

const NEXT_CURSOR_MESSAGE = 'cursor must be the nextCursor of a previous page';

/** An optional `YYYY-MM-DDThh:mm:ss…` bound of a list filter (`from`, `to`). */
export function OptionalDateTime(): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ type: String, format: 'date-time' }), IsOptional(), IsISO8601({ strict: true }));
}

/** `limit` of a paged list: 1 to 200, `defaultLimit` when absent. */
export function PageLimit(defaultLimit: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: defaultLimit }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(MAX_PAGE_LIMIT),
  );
}

/** `cursor` of a list paged by an opaque base64url position (`nextCursor` of the previous page). */
export function OpaqueCursor(description = 'The `nextCursor` of the previous page'): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description }),
    IsOptional(),
    IsString(),
    MaxLength(200),
    Matches(/^[A-Za-z0-9_-]+$/, { message: NEXT_CURSOR_MESSAGE }),
  );
}

/** `cursor` of a list paged by a row number (the audit chain's ids). */
export function SequenceCursor(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: '`nextCursor` of the previous page' }),
    IsOptional(),
    Matches(/^[1-9]\d{0,18}$/, { message: NEXT_CURSOR_MESSAGE }),
  );
}
