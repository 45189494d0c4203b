import { AegisError, ErrorCode } from '@aegis/contracts';

/** The codes conversations and the chat gateway raise; the API's filter maps each to an HTTP status. */
export const ChatExceptionCode = {
  NotFound: ErrorCode.NotFound,
  ValidationFailed: ErrorCode.ValidationFailed,
  RateLimited: ErrorCode.RateLimited,
} as const;

export type ChatExceptionCode = (typeof ChatExceptionCode)[keyof typeof ChatExceptionCode];

export class ChatException extends AegisError {
  constructor(code: ChatExceptionCode, message: string, details?: string[]) {
    super(code, message, details);
  }
}
