import { ErrorCode } from '@aegis/contracts';
import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiException } from './api.exception';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    // class-validator's messages already name the property; nested ones get their parent path.
    const own = Object.values(error.constraints ?? {}).map((message) => (parent ? `${parent}.${message}` : message));
    return [...own, ...describe(error.children ?? [], path)];
  });
}

/** Global validation: unknown fields are refused, not silently dropped; every problem is listed. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = describe(errors);
      return new ApiException(ErrorCode.ValidationFailed, details.join('; ') || 'Invalid request', details);
    },
  });
}
