import { AegisError, ErrorCode } from '@aegis/contracts';

/** The codes libs/memory raises; the API's exhaustive switch maps each to an HTTP status. */
export const MemoryExceptionCode = {
  NotFound: ErrorCode.NotFound,
  ValidationFailed: ErrorCode.ValidationFailed,
} as const;

export type MemoryExceptionCode = (typeof MemoryExceptionCode)[keyof typeof MemoryExceptionCode];

export class MemoryException extends AegisError {
  constructor(code: MemoryExceptionCode, message: string) {
    super(code, message);
  }
}
