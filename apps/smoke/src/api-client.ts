/** The server did not answer at all (refused, unknown host, reset): the run stops with exit code 2. */
export class ServerUnreachable extends Error {}

/** A check's readable reason for failing. */
export class CheckFailed extends Error {}

/** A request got no answer within --timeout. */
export class RequestTimedOut extends CheckFailed {}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

/** How requests are signed: the API key, or a signed-in session's cookies and CSRF token. */
export type Credentials = { apiKey: string } | { cookie: string; csrfToken: string };

const NETWORK_CAUSES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** An error from any realm (fetch's errors are not `instanceof Error` inside a vm context such as Jest's). */
interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function errorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null;
}

/** Why fetch got no response, in words: the innermost cause's error code (ECONNREFUSED…), else its message. */
function networkReason(error: unknown): string {
  let message = String(error);
  for (let current: unknown = error, depth = 0; errorLike(current) && depth < 5; current = current.cause, depth++) {
    if (typeof current.code === 'string') return NETWORK_CAUSES[current.code] ?? current.code;
    if (Array.isArray(current.errors) && current.errors.length > 0) return networkReason(current.errors[0]);
    if (typeof current.message === 'string') message = current.message;
  }
  return message;
}

/** The API's error body `{code, message, details}` in one line, or the bare status. */
export function describeError(response: ApiResponse): string {
  const location = response.headers.get('location');
  if (response.status >= 300 && response.status < 400 && location) {
    return `${response.status}, a redirect to ${location} (give the address it leads to as --url)`;
  }
  const body = response.body;
  if (typeof body === 'object' && body !== null) {
    const { code, message, details } = body as { code?: unknown; message?: unknown; details?: unknown };
    const text = [typeof code === 'string' ? code : undefined, typeof message === 'string' ? message : undefined]
      .filter((part) => part !== undefined)
      .join(': ');
    const more = Array.isArray(details) && details.length > 0 ? ` (${details.map(String).join('; ')})` : '';
    if (text !== '') return `${response.status} ${text}${more}`;
  }
  return typeof body === 'string' && body.trim() !== '' ? `${response.status} ${body.trim().slice(0, 200)}` : String(response.status);
}

/** JSON over Node's fetch against `<base>/api`, every request bounded by the timeout. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly credentials: Credentials | undefined,
  ) {}

  withCredentials(credentials: Credentials): ApiClient {
    return new ApiClient(this.baseUrl, this.timeoutMs, credentials);
  }

  get(path: string): Promise<ApiResponse> {
    return this.request('GET', path);
  }

  post(path: string, body: unknown): Promise<ApiResponse> {
    return this.request('POST', path, body);
  }

  delete(path: string): Promise<ApiResponse> {
    return this.request('DELETE', path);
  }

  /** The response (any status); throws ServerUnreachable when there is none, RequestTimedOut on a timeout. */
  async request(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.credentials && 'apiKey' in this.credentials) headers['Authorization'] = `Bearer ${this.credentials.apiKey}`;
    if (this.credentials && 'cookie' in this.credentials) {
      headers['Cookie'] = this.credentials.cookie;
      headers['X-CSRF-Token'] = this.credentials.csrfToken;
    }
    const url = `${this.baseUrl}/api${path}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      if (errorLike(error) && error.name === 'TimeoutError') {
        throw new RequestTimedOut(`${method} ${url} did not answer within ${this.timeoutMs / 1000} s`);
      }
      throw new ServerUnreachable(`cannot reach ${url}: ${networkReason(error)}`);
    }
    let parsed: unknown = text;
    if (response.headers.get('content-type')?.includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }
}

/** The body of a response with one of the `expected` statuses, else a CheckFailed naming the call and the API's reason. */
export function expectStatus(response: ApiResponse, expected: number | readonly number[], call: string): unknown {
  const allowed = typeof expected === 'number' ? [expected] : expected;
  if (!allowed.includes(response.status)) throw new CheckFailed(`${call} answered ${describeError(response)}`);
  return response.body;
}
