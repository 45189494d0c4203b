import { ErrorCode } from '@aegis/contracts';
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { calls, errorBody, fakeApi, jsonResponse, noContent, setCsrfCookie } from '../../../testing/fake-api';
import type { Upload } from '../api/upload-file';
import { useAttachments } from './use-attachments';

/** XMLHttpRequest at the browser boundary: records what was sent, lets the test play the network. */
class FakeXhr {
  static sent: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown = null;
  aborted = false;
  responseType = '';
  status = 0;
  statusText = '';
  responseText = '';
  private responseHeaders: Record<string, string> = {};
  readonly upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string): string | null {
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }
  send(body: unknown) {
    this.body = body;
    FakeXhr.sent.push(this);
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }

  progress(loaded: number, total: number) {
    this.upload.onprogress?.(new ProgressEvent('progress', { lengthComputable: true, loaded, total }));
  }
  respond(status: number, body: unknown, headers: Record<string, string> = {}) {
    this.status = status;
    this.statusText = status === 201 ? 'Created' : '';
    this.responseText = JSON.stringify(body);
    this.responseHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    this.onload?.();
  }
  get file(): File | null {
    const value = this.body instanceof FormData ? this.body.get('file') : null;
    return value instanceof File ? value : null;
  }
}

function stored(id: string, name: string): Upload {
  return { id, name, mime: 'image/png', size: 4, sha256: 'a'.repeat(64), createdAt: '2026-11-29T10:00:00.000Z' };
}

const png = () => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'chart.png', { type: 'image/png' });
const notes = () => new File(['# notes'], 'notes.md', { type: 'text/markdown' });
const UPLOAD_ID = '7a1c2b3d-0000-4000-8000-000000000001';

let previews = 0;
const createObjectURL = vi.fn(() => `blob:preview-${++previews}`);
const revokeObjectURL = vi.fn();

/** Plays a network event inside act, letting the upload's promise chain settle. */
async function network(play: () => void): Promise<void> {
  await act(async () => {
    play();
    await Promise.resolve();
  });
}

/** The latest XHR, once the hook has sent it (the retry after a refresh comes a tick later). */
async function nextXhr(count: number): Promise<FakeXhr> {
  await waitFor(() => expect(FakeXhr.sent).toHaveLength(count));
  const xhr = FakeXhr.sent[count - 1];
  if (!xhr) throw new Error('no request');
  return xhr;
}

describe('useAttachments', () => {
  beforeEach(() => {
    FakeXhr.sent = [];
    previews = 0;
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    Object.assign(URL, { createObjectURL, revokeObjectURL });
  });
  afterEach(() => {
    Reflect.deleteProperty(URL, 'createObjectURL');
    Reflect.deleteProperty(URL, 'revokeObjectURL');
    createObjectURL.mockClear();
    revokeObjectURL.mockClear();
  });

  it('uploads at once with the CSRF header, reports progress, then offers the stored id', async () => {
    setCsrfCookie('csrf.1');
    fakeApi({});
    const { result } = renderHook(() => useAttachments());

    act(() => result.current.add([png(), notes()]));
    await nextXhr(2);
    const [image, document] = FakeXhr.sent as [FakeXhr, FakeXhr];
    expect(image.method).toBe('POST');
    expect(image.url).toBe('/api/uploads');
    expect(image.headers['X-CSRF-Token']).toBe('csrf.1');
    expect(image.file?.name).toBe('chart.png');
    expect(result.current.attachments.map(({ name, previewUrl, state }) => ({ name, previewUrl, state }))).toEqual([
      { name: 'chart.png', previewUrl: 'blob:preview-1', state: 'uploading' },
      { name: 'notes.md', previewUrl: null, state: 'uploading' },
    ]);
    expect(result.current.busy).toBe(true);

    act(() => image.progress(25, 100));
    expect(result.current.attachments[0]?.progress).toBe(0.25);
    act(() => image.progress(100, 100));
    await network(() => image.respond(201, stored(UPLOAD_ID, 'chart.png')));
    expect(result.current.attachments[0]).toMatchObject({ state: 'ready', progress: 1, uploadId: UPLOAD_ID });
    expect(result.current.readyIds).toEqual([UPLOAD_ID]);
    // The markdown file is still on its way: sending waits.
    expect(result.current.busy).toBe(true);

    await network(() => document.respond(201, stored('7a1c2b3d-0000-4000-8000-000000000002', 'notes.md')));
    await waitFor(() => expect(result.current.busy).toBe(false));
    expect(result.current.readyIds).toHaveLength(2);
  });

  it.each([
    [413, ErrorCode.PayloadTooLarge, 'The file is larger than the 20 MB allowed (UPLOAD_MAX_MB)'],
    [413, ErrorCode.UploadQuotaExceeded, 'This upload would pass your 500 MB of uploads (UPLOAD_QUOTA_MB)'],
    [415, ErrorCode.UnsupportedMediaType, 'Only PNG, JPEG, GIF, WebP, PDF and plain-text files (text, markdown, CSV, JSON) are accepted'],
    [429, ErrorCode.RateLimited, 'Too many requests. Try again in 30 seconds.'],
  ])('keeps a %s %s refusal next to the file in the server’s words', async (status, code, message) => {
    fakeApi({});
    const { result } = renderHook(() => useAttachments());
    act(() => result.current.add([png()]));
    const xhr = await nextXhr(1);

    await network(() => xhr.respond(status, errorBody(status, code, message)));
    await waitFor(() => expect(result.current.attachments[0]?.state).toBe('failed'));
    expect(result.current.attachments[0]?.error).toBe(message);
    expect(result.current.readyIds).toEqual([]);
    expect(result.current.busy).toBe(false);
  });

  it('says the server could not be reached when the upload fails on the network', async () => {
    fakeApi({});
    const { result } = renderHook(() => useAttachments());
    act(() => result.current.add([notes()]));
    const xhr = await nextXhr(1);
    await network(() => xhr.onerror?.());
    await waitFor(() => expect(result.current.attachments[0]?.error).toMatch(/Could not reach the server/));
  });

  it('removing a file in flight aborts its upload and deletes nothing', async () => {
    const requests = fakeApi({});
    const { result } = renderHook(() => useAttachments());
    act(() => result.current.add([png()]));
    const xhr = await nextXhr(1);

    act(() => result.current.remove(result.current.attachments[0]?.localId ?? ''));
    expect(xhr.aborted).toBe(true);
    expect(result.current.attachments).toEqual([]);
    expect(result.current.busy).toBe(false);
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:preview-1');
    await Promise.resolve();
    expect(calls(requests)).toEqual([]);
  });

  it('a file stored just as it was removed is deleted, not left counting against the quota', async () => {
    const requests = fakeApi({ [`DELETE /api/uploads/${UPLOAD_ID}`]: () => noContent() });
    const { result } = renderHook(() => useAttachments());
    act(() => result.current.add([notes()]));
    const xhr = await nextXhr(1);
    // The answer has arrived (load fired) but the hook has not seen it yet when the person removes the file.
    xhr.abort = () => undefined;
    xhr.respond(201, stored(UPLOAD_ID, 'notes.md'));
    act(() => result.current.remove(result.current.attachments[0]?.localId ?? ''));
    await waitFor(() => expect(calls(requests)).toEqual([`DELETE /api/uploads/${UPLOAD_ID}`]));
    expect(result.current.attachments).toEqual([]);
  });

  it('removing a stored file deletes it on the server; clear() after sending forgets without deleting', async () => {
    const requests = fakeApi({ [`DELETE /api/uploads/${UPLOAD_ID}`]: () => noContent() });
    const { result } = renderHook(() => useAttachments());
    act(() => result.current.add([png(), notes()]));
    await nextXhr(2);
    const [first, second] = FakeXhr.sent as [FakeXhr, FakeXhr];
    await network(() => first.respond(201, stored(UPLOAD_ID, 'chart.png')));
    await network(() => second.respond(201, stored('7a1c2b3d-0000-4000-8000-000000000002', 'notes.md')));
    await waitFor(() => expect(result.current.readyIds).toHaveLength(2));

    act(() => result.current.remove(result.current.attachments[0]?.localId ?? ''));
    await waitFor(() => expect(calls(requests)).toEqual([`DELETE /api/uploads/${UPLOAD_ID}`]));
    expect(result.current.readyIds).toEqual(['7a1c2b3d-0000-4000-8000-000000000002']);

    act(() => result.current.clear());
    expect(result.current.attachments).toEqual([]);
    expect(result.current.readyIds).toEqual([]);
    await Promise.resolve();
    expect(calls(requests)).toHaveLength(1);
  });

  it('refreshes the session once after a 401 and sends the file again', async () => {
    setCsrfCookie('csrf.old');
    let renewed = false;
    const user = { id: 'u1', username: 'ada', role: 'operator' };
    const requests = fakeApi({
      'GET /api/auth/me': () =>
        renewed ? jsonResponse(200, user) : jsonResponse(401, errorBody(401, ErrorCode.SessionExpired, 'Your session has expired')),
      'POST /api/auth/refresh': () => {
        renewed = true;
        setCsrfCookie('csrf.new');
        return jsonResponse(200, { user });
      },
    });
    const { result } = renderHook(() => useAttachments());
    act(() => result.current.add([notes()]));
    const first = await nextXhr(1);
    await network(() => first.respond(401, errorBody(401, ErrorCode.SessionExpired, 'Your session has expired')));

    const retry = await nextXhr(2);
    expect(calls(requests)).toEqual(['GET /api/auth/me', 'POST /api/auth/refresh', 'GET /api/auth/me']);
    expect(retry.headers['X-CSRF-Token']).toBe('csrf.new');
    await network(() => retry.respond(201, stored(UPLOAD_ID, 'notes.md')));
    await waitFor(() => expect(result.current.readyIds).toEqual([UPLOAD_ID]));
  });

  it('leaving stops uploads and frees the thumbnails', async () => {
    fakeApi({});
    const { result, unmount } = renderHook(() => useAttachments());
    act(() => result.current.add([png()]));
    const xhr = await nextXhr(1);
    unmount();
    expect(xhr.aborted).toBe(true);
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:preview-1');
  });
});
