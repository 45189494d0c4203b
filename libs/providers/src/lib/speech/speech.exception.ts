import { AegisError, ErrorCode } from '@aegis/contracts';

/** The codes the speech service raises; the API's exhaustive switch maps each to an HTTP status. */
export const SpeechExceptionCode = {
  Unavailable: ErrorCode.SpeechUnavailable,
  ProviderFailed: ErrorCode.SpeechProviderFailed,
  ValidationFailed: ErrorCode.ValidationFailed,
  UnsupportedMediaType: ErrorCode.UnsupportedMediaType,
  PayloadTooLarge: ErrorCode.PayloadTooLarge,
} as const;

export type SpeechExceptionCode = (typeof SpeechExceptionCode)[keyof typeof SpeechExceptionCode];

/** A refusal or failure of speech in or out; the message is ours, safe to show (never a key or the vendor's text). */
export class SpeechException extends AegisError {
  constructor(code: SpeechExceptionCode, message: string, retryAfterSeconds?: number) {
    super(code, message, undefined, retryAfterSeconds);
  }
}
