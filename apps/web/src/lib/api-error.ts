import { ErrorCode, type ErrorBody } from '@aegis/contracts';

const ERROR_CODES: readonly string[] = Object.values(ErrorCode);

/** An error answer from the API, or a failure to get one. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    message: string,
    /** The HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code?: ErrorCode,
    readonly requestId?: string,
  ) {
    super(message);
  }

  /** True for answers the client caused (4xx): retrying the same request will not help. */
  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return (
    typeof body.statusCode === 'number' &&
    typeof body.code === 'string' &&
    ERROR_CODES.includes(body.code) &&
    typeof body.message === 'string' &&
    typeof body.requestId === 'string'
  );
}

/** Builds the ApiError for a response that was not ok, from its body when it is the API's error shape. */
export function apiErrorFrom(response: Response, body: unknown): ApiError {
  if (isErrorBody(body)) {
    return new ApiError(body.message, response.status, body.code, body.requestId);
  }
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  return new ApiError(`The server answered ${response.status}${statusText}.`, response.status);
}

export const UNREACHABLE_MESSAGE = 'Could not reach the server. Check your connection and try again.';

/** A message fit to show a person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return UNREACHABLE_MESSAGE;
  return 'Something unexpected went wrong.';
}
