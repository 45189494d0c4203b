import { ErrorCode, isUuid } from '@aegis/contracts';
import { Injectable, type PipeTransform } from '@nestjs/common';
import { ApiException } from './api.exception';

/** Every `:id` route param that names a stored row: 400 VALIDATION_FAILED unless it is a UUID (`@Param('id', UuidPipe)`). */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw new ApiException(ErrorCode.ValidationFailed, 'Validation failed (uuid is expected)');
    return value;
  }
}
