import { ErrorCode } from '@aegis/contracts';
import { statusForErrorCode } from './api.exception';

describe('statusForErrorCode', () => {
  it('maps every error code to a 4xx or 5xx status', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(statusForErrorCode(code)).toBeGreaterThanOrEqual(400);
    }
  });

  it.each([
    [ErrorCode.ValidationFailed, 400],
    [ErrorCode.MalformedJson, 400],
    [ErrorCode.Unauthenticated, 401],
    [ErrorCode.Forbidden, 403],
    [ErrorCode.NotFound, 404],
    [ErrorCode.PayloadTooLarge, 413],
    [ErrorCode.BudgetModelUnpriced, 402],
    [ErrorCode.UploadQuotaExceeded, 413],
    [ErrorCode.DocumentTooComplex, 422],
    [ErrorCode.RateLimited, 429],
    [ErrorCode.ServiceUnavailable, 503],
    [ErrorCode.Internal, 500],
    [ErrorCode.PolicyDenied, 403],
    [ErrorCode.SelfApprovalForbidden, 403],
    [ErrorCode.JustificationRequired, 422],
    [ErrorCode.InvalidArguments, 422],
    [ErrorCode.ApprovalNotPending, 409],
    [ErrorCode.ArgumentsChanged, 409],
    [ErrorCode.VerificationFailed, 409],
    [ErrorCode.RollbackUnavailable, 409],
    [ErrorCode.ApprovalExpired, 410],
    [ErrorCode.ConfirmationDeclined, 403],
    [ErrorCode.OriginRefused, 403],
    [ErrorCode.SessionRequired, 403],
    [ErrorCode.RequesterNotAllowed, 409],
    [ErrorCode.AuditUnavailable, 503],
    [ErrorCode.SpeechUnavailable, 503],
    [ErrorCode.SpeechProviderFailed, 502],
  ])('%s → %d', (code, status) => {
    expect(statusForErrorCode(code)).toBe(status);
  });
});
