import { type ApiComponents, ErrorCode } from '@aegis/contracts';
import { apiClient, renewSessionAfterUnauthorized } from '../../../lib/api-client';
import { ApiError, UNREACHABLE_MESSAGE, apiErrorFrom, assertOk, isErrorBody } from '../../../lib/api-error';
import { CSRF_HEADER, readCsrfToken } from '../../../lib/csrf';

export type Upload = ApiComponents['schemas']['UploadDto'];

const UPLOADS_PATH = '/api/uploads';

/** What the server stores (docs/web.md "Attachments and voice"): the file chooser offers these. */
export const ACCEPTED_UPLOAD_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/markdown',
  'text/csv',
  'application/json',
  '.txt',
  '.md',
  '.markdown',
  '.csv',
  '.json',
].join(',');

/** Images the server accepts, which the tray shows as thumbnails. */
export const PREVIEWABLE_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

interface UploadTask {
  /** Resolves with the stored upload; rejects with ApiError, or an AbortError after abort(). */
  promise: Promise<Upload>;
  abort: () => void;
}

interface UploadFileOptions {
  /** 0..1 as the bytes leave the browser. */
  onProgress?: (fraction: number) => void;
}

interface XhrAnswer {
  status: number;
  statusText: string;
  retryAfter: string | null;
  body: unknown;
}

function abortError(): DOMException {
  return new DOMException('The upload was cancelled', 'AbortError');
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** One POST of the file; XMLHttpRequest because only it reports upload progress. */
function sendOnce(file: File, onProgress: ((fraction: number) => void) | undefined, signal: AbortSignal): Promise<XhrAnswer> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError());
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', UPLOADS_PATH);
    xhr.responseType = 'text';
    // Same origin: the session cookies go along without withCredentials; the CSRF header is ours to add (double submit).
    const token = readCsrfToken();
    if (token !== undefined) xhr.setRequestHeader(CSRF_HEADER, token);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(Math.min(1, event.loaded / event.total));
    };
    const onAbort = () => xhr.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal.removeEventListener('abort', onAbort);
    xhr.onload = () => {
      settle();
      resolve({
        status: xhr.status,
        statusText: xhr.statusText,
        retryAfter: xhr.getResponseHeader('Retry-After'),
        body: parseJson(xhr.responseText),
      });
    };
    xhr.onerror = () => {
      settle();
      reject(new ApiError(UNREACHABLE_MESSAGE, 0));
    };
    xhr.onabort = () => {
      settle();
      reject(abortError());
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** The ApiError for an answer that was not a stored upload, through the same reading as every other request. */
function errorOf(answer: XhrAnswer): ApiError {
  const headers = answer.retryAfter === null ? undefined : { 'Retry-After': answer.retryAfter };
  return apiErrorFrom(new Response(null, { status: answer.status, statusText: answer.statusText, headers }), answer.body);
}

function isUpload(body: unknown): body is Upload {
  return typeof body === 'object' && body !== null && typeof (body as { id?: unknown }).id === 'string';
}

/** A 401 about the session (not about credentials the request carried): worth one refresh. */
function isSessionRefusal(answer: XhrAnswer): boolean {
  return answer.status === 401 && !(isErrorBody(answer.body) && answer.body.code === ErrorCode.InvalidCredentials);
}

/**
 * POST /api/uploads (multipart field `file`) with progress. On a 401 the session is refreshed
 * once and the file sent again (progress starts over). The server's refusals (413 size or
 * quota, 415 type, 422, 429) reject as ApiError with the server's message.
 */
export function uploadFile(file: File, { onProgress }: UploadFileOptions = {}): UploadTask {
  const controller = new AbortController();
  const run = async (): Promise<Upload> => {
    let answer = await sendOnce(file, onProgress, controller.signal);
    if (isSessionRefusal(answer) && (await renewSessionAfterUnauthorized())) {
      if (controller.signal.aborted) throw abortError();
      onProgress?.(0);
      answer = await sendOnce(file, onProgress, controller.signal);
    }
    if (answer.status >= 200 && answer.status < 300 && isUpload(answer.body)) return answer.body;
    throw errorOf(answer);
  };
  return { promise: run(), abort: () => controller.abort() };
}

/** Frees a stored upload (and its share of the quota) that will not be sent after all. */
export async function deleteUpload(id: string): Promise<void> {
  assertOk(await apiClient.DELETE('/api/uploads/{id}', { params: { path: { id } } }));
}
