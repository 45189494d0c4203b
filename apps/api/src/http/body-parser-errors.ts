import { ErrorCode } from '@aegis/contracts';
import type { NextFunction, Request, Response } from 'express';
import { ApiException } from './api.exception';

/** Express' body parser reports problems as errors with a `type`; this names them for the client. */
function translate(type: string): ApiException {
  switch (type) {
    case 'entity.parse.failed':
      return new ApiException(ErrorCode.MalformedJson, 'The request body is not valid JSON');
    case 'entity.too.large':
      return new ApiException(ErrorCode.PayloadTooLarge, 'The request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiException(ErrorCode.UnsupportedMediaType, 'Unsupported request body encoding');
    default:
      return new ApiException(ErrorCode.ValidationFailed, 'The request body could not be read');
  }
}

/** Error middleware placed right after the body parsers; the global filter then answers. */
export function translateBodyParserErrors(error: unknown, _request: Request, _response: Response, next: NextFunction): void {
  const type = typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
  next(typeof type === 'string' ? translate(type) : error);
}
