import { ErrorCode } from '@aegis/contracts';
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorBody, fakeApi, jsonResponse } from '../../../testing/fake-api';
import { FakeEventSource } from '../testing/fake-event-source';
import { useLogFollow } from './use-log-follow';

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('useLogFollow', () => {
  it('opens the stream with the tail, appends each batch and goes live on the server’s open event', () => {
    const { result } = renderHook(() => useLogFollow('web', 500));
    expect(result.current.status.state).toBe('off');
    expect(FakeEventSource.instances).toHaveLength(0);

    act(() => result.current.start());
    const source = FakeEventSource.latest();
    expect(source.url).toBe('/api/docker/containers/web/logs/stream?tail=500');
    expect(result.current.status.state).toBe('connecting');

    // The browser's own open event carries no data and changes nothing.
    act(() => {
      source.dispatchEvent(new Event('open'));
    });
    expect(result.current.status.state).toBe('connecting');

    source.emit('open', { container: 'web', id: 'abc', actionId: 'x', tail: 500, truncated: false, maxDurationSeconds: 1800 });
    expect(result.current.status).toEqual({ state: 'live', maxDurationSeconds: 1800 });
    source.emit('lines', { lines: ['tick 1', '\u001b[32mtick 2\u001b[0m'] });
    source.emit('lines', { lines: ['tick 3'] });
    expect(result.current.lines.map((line) => line.text)).toEqual(['tick 1', 'tick 2', 'tick 3']);
    expect(new Set(result.current.lines.map((line) => line.seq)).size).toBe(3);
  });

  it('keeps at most the cap, dropping the oldest lines', () => {
    const { result } = renderHook(() => useLogFollow('web', 100, 5));
    act(() => result.current.start());
    const source = FakeEventSource.latest();
    source.emit('open', { maxDurationSeconds: 60 });
    source.emit('lines', { lines: ['1', '2', '3', '4'] });
    source.emit('lines', { lines: ['5', '6', '7'] });
    expect(result.current.lines.map((line) => line.text)).toEqual(['3', '4', '5', '6', '7']);
    expect(result.current.dropped).toBe(2);
  });

  it('asks the server for at most its follow tail', () => {
    const { result } = renderHook(() => useLogFollow('web', 5000));
    act(() => result.current.start());
    expect(FakeEventSource.latest().url).toBe('/api/docker/containers/web/logs/stream?tail=1000');
  });

  it('closes the stream on unmount', () => {
    const { result, unmount } = renderHook(() => useLogFollow('web', 100));
    act(() => result.current.start());
    const source = FakeEventSource.latest();
    unmount();
    expect(source.closed).toBe(true);
  });

  it('closes the stream when stopped, keeping the lines, and forgets them on reset', () => {
    const { result } = renderHook(() => useLogFollow('web', 100));
    act(() => result.current.start());
    const source = FakeEventSource.latest();
    source.emit('open', {});
    source.emit('lines', { lines: ['a'] });
    act(() => result.current.stop());
    expect(source.closed).toBe(true);
    expect(result.current.status).toEqual({ state: 'stopped', reason: 'You stopped following.' });
    expect(result.current.lines).toHaveLength(1);
    act(() => result.current.reset());
    expect(result.current.status.state).toBe('off');
    expect(result.current.lines).toHaveLength(0);
  });

  it('closes the old stream and opens one for the new container', () => {
    let container = 'web';
    const { result, rerender } = renderHook(() => useLogFollow(container, 100));
    act(() => result.current.start());
    const first = FakeEventSource.latest();
    container = 'db';
    rerender();
    expect(first.closed).toBe(true);
    expect(FakeEventSource.latest().url).toBe('/api/docker/containers/db/logs/stream?tail=100');
  });

  it('stops with the server’s words on end, closing the stream so the browser does not reopen it', () => {
    const { result } = renderHook(() => useLogFollow('web', 100));
    act(() => result.current.start());
    const source = FakeEventSource.latest();
    source.emit('open', {});
    source.emit('end', { reason: 'container-stopped', message: 'The container stopped, so its log ended' });
    expect(source.closed).toBe(true);
    expect(result.current.status).toEqual({ state: 'stopped', reason: 'The container stopped, so its log ended' });
  });

  it('says it is reconnecting while the browser retries, and starts afresh on the next open', () => {
    const { result } = renderHook(() => useLogFollow('web', 100));
    act(() => result.current.start());
    const source = FakeEventSource.latest();
    source.emit('open', {});
    source.emit('lines', { lines: ['a', 'b'] });
    source.fail(FakeEventSource.CONNECTING);
    expect(result.current.status.state).toBe('reconnecting');
    expect(source.closed).toBe(false);
    source.emit('open', {});
    source.emit('lines', { lines: ['a', 'b', 'c'] });
    expect(result.current.status.state).toBe('live');
    expect(result.current.lines.map((line) => line.text)).toEqual(['a', 'b', 'c']);
  });

  it('says why a refused follow did not start, in the server’s words', async () => {
    fakeApi({
      'GET /api/docker/containers/web/logs/stream': () =>
        jsonResponse(429, errorBody(429, ErrorCode.RateLimited, 'At most 3 log follows may be open at once per user; close one first')),
    });
    const { result } = renderHook(() => useLogFollow('web', 100));
    act(() => result.current.start());
    const source = FakeEventSource.latest();
    source.fail(FakeEventSource.CLOSED);
    await waitFor(() => expect(result.current.status.state).toBe('stopped'));
    expect(result.current.status).toMatchObject({ reason: 'At most 3 log follows may be open at once per user; close one first' });
    expect(FakeEventSource.instances).toHaveLength(1);
  });

  it('opens again once when the second ask is answered with a stream (a renewed session)', async () => {
    fakeApi({
      'GET /api/docker/containers/web/logs/stream': () =>
        new Response('event: open\ndata: {}\n\n', { headers: { 'Content-Type': 'text/event-stream' } }),
    });
    const { result } = renderHook(() => useLogFollow('web', 100));
    act(() => result.current.start());
    FakeEventSource.latest().fail(FakeEventSource.CLOSED);
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(2));
    FakeEventSource.latest().fail(FakeEventSource.CLOSED);
    await waitFor(() =>
      expect(result.current.status).toEqual({ state: 'stopped', reason: 'The live log could not be opened. Try again.' }),
    );
    expect(FakeEventSource.instances).toHaveLength(2);
  });
});
