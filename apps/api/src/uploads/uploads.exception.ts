import { AegisError, ErrorCode } from '@aegis/contracts';

/** The codes the uploads module raises; the API's exhaustive switch maps each to an HTTP status. */
export const UploadsExceptionCode = {
  NotFound: ErrorCode.NotFound,
  ValidationFailed: ErrorCode.ValidationFailed,
  UnsupportedMediaType: ErrorCode.UnsupportedMediaType,
  PayloadTooLarge: ErrorCode.PayloadTooLarge,
  QuotaExceeded: ErrorCode.UploadQuotaExceeded,
  DocumentTooComplex: ErrorCode.DocumentTooComplex,
} as const;

export type UploadsExceptionCode = (typeof UploadsExceptionCode)[keyof typeof UploadsExceptionCode];

export class UploadsException extends AegisError {
  constructor(code: UploadsExceptionCode, message: string) {
    super(code, message);
  }
}
