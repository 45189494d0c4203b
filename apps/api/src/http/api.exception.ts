import { AegisError, ErrorCode } from '@aegis/contracts';
import { HttpStatus } from '@nestjs/common';

function assertUnreachable(value: never): never {
  throw new Error(`unreachable: ${String(value)}`);
}

/** The HTTP status for each error code; exhaustive, so a new code must be mapped here. */
export function statusForErrorCode(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.MalformedJson:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.CommandRefused:
    case ErrorCode.PathOutsideWorkspace:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.ProgramNotAllowed:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.BudgetExceeded:
    case ErrorCode.BudgetModelUnpriced:
      return HttpStatus.PAYMENT_REQUIRED;
    case ErrorCode.UploadQuotaExceeded:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.DocumentTooComplex:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.PolicyDenied:
    case ErrorCode.SelfApprovalForbidden:
    case ErrorCode.ConfirmationDeclined:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.JustificationRequired:
    case ErrorCode.InvalidArguments:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.ApprovalNotPending:
    case ErrorCode.ArgumentsChanged:
    case ErrorCode.VerificationFailed:
    case ErrorCode.RollbackUnavailable:
    case ErrorCode.RequesterNotAllowed:
      return HttpStatus.CONFLICT;
    case ErrorCode.ApprovalExpired:
      return HttpStatus.GONE;
    case ErrorCode.SandboxUnavailable:
    case ErrorCode.CapabilityUnavailable:
    case ErrorCode.ProviderUnavailable:
    case ErrorCode.AuditUnavailable:
    case ErrorCode.SpeechUnavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.SpeechProviderFailed:
      return HttpStatus.BAD_GATEWAY;
    case ErrorCode.Unauthenticated:
    case ErrorCode.InvalidCredentials:
    case ErrorCode.SessionExpired:
    case ErrorCode.RefreshTokenReused:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.Forbidden:
    case ErrorCode.CsrfInvalid:
    case ErrorCode.OriginRefused:
    case ErrorCode.SessionRequired:
    case ErrorCode.LastAdmin:
    case ErrorCode.RegistrationDisabled:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.WeakPassword:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.UsernameTaken:
      return HttpStatus.CONFLICT;
    case ErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.Conflict:
      return HttpStatus.CONFLICT;
    case ErrorCode.PayloadTooLarge:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.UnsupportedMediaType:
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode.RateLimited:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.ServiceUnavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.Internal:
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default:
      return assertUnreachable(code);
  }
}

/** An error of the HTTP layer itself; the message is shown to the client. */
export class ApiException extends AegisError {}
