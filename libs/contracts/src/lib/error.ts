/** Stable, machine-readable error codes: clients branch on these, never on messages. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedJson = 'MALFORMED_JSON',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  Unauthenticated = 'UNAUTHENTICATED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  SessionExpired = 'SESSION_EXPIRED',
  RefreshTokenReused = 'REFRESH_TOKEN_REUSED',
  CsrfInvalid = 'CSRF_INVALID',
  OriginRefused = 'ORIGIN_REFUSED',
  SessionRequired = 'SESSION_REQUIRED',
  WeakPassword = 'WEAK_PASSWORD',
  UsernameTaken = 'USERNAME_TAKEN',
  LastAdmin = 'LAST_ADMIN',
  RegistrationDisabled = 'REGISTRATION_DISABLED',
  CommandRefused = 'COMMAND_REFUSED',
  ProgramNotAllowed = 'PROGRAM_NOT_ALLOWED',
  PathOutsideWorkspace = 'PATH_OUTSIDE_WORKSPACE',
  SandboxUnavailable = 'SANDBOX_UNAVAILABLE',
  CapabilityUnavailable = 'CAPABILITY_UNAVAILABLE',
  ProviderUnavailable = 'PROVIDER_UNAVAILABLE',
  BudgetExceeded = 'BUDGET_EXCEEDED',
  /** A budget is enforced and the chosen model has no price (PROVIDER_PRICES / PROVIDER_DEFAULT_PRICE). */
  BudgetModelUnpriced = 'BUDGET_MODEL_UNPRICED',
  /** No provider is configured for speech (SPEECH_PROVIDER / SPEECH_TTS_PROVIDER and a key). */
  SpeechUnavailable = 'SPEECH_UNAVAILABLE',
  /** The speech provider failed or refused the request (our words only, never the vendor's). */
  SpeechProviderFailed = 'SPEECH_PROVIDER_FAILED',
  /** The user's uploads would pass UPLOAD_QUOTA_MB. */
  UploadQuotaExceeded = 'UPLOAD_QUOTA_EXCEEDED',
  /** A document (PDF) could not be read within the page or time limit. */
  DocumentTooComplex = 'DOCUMENT_TOO_COMPLEX',
  PolicyDenied = 'POLICY_DENIED',
  JustificationRequired = 'JUSTIFICATION_REQUIRED',
  InvalidArguments = 'INVALID_ARGUMENTS',
  ApprovalNotPending = 'APPROVAL_NOT_PENDING',
  ApprovalExpired = 'APPROVAL_EXPIRED',
  SelfApprovalForbidden = 'SELF_APPROVAL_FORBIDDEN',
  ArgumentsChanged = 'ARGUMENTS_CHANGED',
  VerificationFailed = 'VERIFICATION_FAILED',
  RollbackUnavailable = 'ROLLBACK_UNAVAILABLE',
  ConfirmationDeclined = 'CONFIRMATION_DECLINED',
  RequesterNotAllowed = 'REQUESTER_NOT_ALLOWED',
  AuditUnavailable = 'AUDIT_UNAVAILABLE',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  RateLimited = 'RATE_LIMITED',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL',
}

/** The body of every error the API returns. */
export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  requestId: string;
  /** One line per problem, for validation failures. */
  details?: string[];
}

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Base of every module's exception (ApiException, AuthException, …): a stable code, a message
 * safe to show the client, and optionally one line per problem and a Retry-After in seconds.
 */
export class AegisError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: string[],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
