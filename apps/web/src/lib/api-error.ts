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
    /** One line per problem (validation, password policy). */
    readonly details: readonly string[] = [],
    /** From Retry-After, when the server said how long to wait. */
    readonly retryAfterSeconds?: number,
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
    typeof body.requestId === 'string' &&
    (body.details === undefined || (Array.isArray(body.details) && body.details.every((line) => typeof line === 'string')))
  );
}

/** Retry-After in seconds: either a number of seconds or an HTTP date. */
export function retryAfterSeconds(response: Response, now = Date.now()): number | undefined {
  const header = response.headers.get('Retry-After')?.trim();
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Builds the ApiError for a response that was not ok, from its body when it is the API's error shape. */
export function apiErrorFrom(response: Response, body: unknown): ApiError {
  const wait = retryAfterSeconds(response);
  if (isErrorBody(body)) {
    return new ApiError(body.message, response.status, body.code, body.requestId, body.details ?? [], wait);
  }
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  return new ApiError(`The server answered ${response.status}${statusText}.`, response.status, undefined, undefined, [], wait);
}

/** What openapi-fetch resolves with, reduced to what the checks below need. */
interface ClientResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a successful answer; throws ApiError for anything else. */
export function dataOf<T>(result: ClientResult<T>): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  throw apiErrorFrom(result.response, result.error);
}

/** For answers without a body (204): throws ApiError unless the request succeeded. */
export function assertOk(result: ClientResult<unknown>): void {
  if (!result.response.ok) throw apiErrorFrom(result.response, result.error);
}

export const UNREACHABLE_MESSAGE = 'Could not reach the server. Check your connection and try again.';

/** A message fit to show a person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return UNREACHABLE_MESSAGE;
  return 'Something unexpected went wrong.';
}
