import { useCallback, useEffect, useRef, useState } from 'react';
import { apiClient } from '../../../lib/api-client';
import { apiErrorFrom, errorMessage } from '../../../lib/api-error';
import { containerLogStreamUrl } from '../api/get-container-logs';
import { appendCapped, type LogLine, toLogLines } from '../log-lines';

/** The most lines a follow keeps in memory; older ones are dropped (5000 lines of 16 KiB at worst is 80 MB, so no more). */
export const MAX_FOLLOW_LINES = 5000;
/** The server starts a follow with at most this many lines of tail. */
export const MAX_FOLLOW_TAIL = 1000;

/** Where a follow stands; `stopped` says why in words, with the server's error when it refused. */
export type FollowStatus =
  | { state: 'off' }
  | { state: 'connecting' }
  | { state: 'live'; maxDurationSeconds: number | null }
  | { state: 'reconnecting' }
  | { state: 'stopped'; reason: string; error?: unknown };

export interface LogFollow {
  status: FollowStatus;
  /** The tail the follow started with, then every new line, the newest last; at most MAX_FOLLOW_LINES. */
  lines: readonly LogLine[];
  /** Lines dropped from the front to keep the cap. */
  dropped: number;
  /** Opens a follow (again), starting from a fresh tail. */
  start: () => void;
  /** Closes the follow and keeps its lines on view. */
  stop: () => void;
  /** Closes the follow and forgets its lines (back to `off`). */
  reset: () => void;
}

interface FollowView {
  status: FollowStatus;
  lines: LogLine[];
  dropped: number;
}

const OFF: FollowView = { status: { state: 'off' }, lines: [], dropped: 0 };

/** EventSource's readyState once it has given up (a refusal, not a dropped connection). */
const EVENT_SOURCE_CLOSED = 2;

function parseData(event: Event): unknown {
  if (!(event instanceof MessageEvent) || typeof event.data !== 'string') return undefined;
  try {
    return JSON.parse(event.data) as unknown;
  } catch {
    return undefined;
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Asks the stream's address once more with fetch, to learn why the EventSource was refused (it
 * never says): the API client renews an expired session on a 401 on the way. Returns null when it
 * was answered with a stream after all (the session was renewed, or the refusal has passed).
 */
async function refusalOf(container: string, tail: number): Promise<unknown> {
  const controller = new AbortController();
  try {
    const { response, error } = await apiClient.GET('/api/docker/containers/{id}/logs/stream', {
      params: { path: { id: container }, query: { tail } },
      parseAs: 'stream',
      signal: controller.signal,
    });
    if (response.ok) return null;
    return apiErrorFrom(response, error);
  } catch (error) {
    return error;
  } finally {
    // A stream that did open is closed at once: the EventSource opens the real one.
    controller.abort();
  }
}

/**
 * Follows a container's log live over Server-Sent Events (GET /api/docker/containers/:id/logs/stream,
 * same-origin cookies): `open` (after every (re)connection, followed by the tail again, so the
 * lines start afresh), `lines` batches, and `end` when the server stops it. The EventSource is
 * closed on stop, on `end`, on a change of container or tail, and on unmount. A refused start is
 * asked once more with fetch to say why (and, after a renewed session, opened again once).
 */
export function useLogFollow(container: string, tail: number, maxLines = MAX_FOLLOW_LINES): LogFollow {
  const [run, setRun] = useState<{ id: number } | null>(null);
  const [view, setView] = useState<FollowView>(OFF);
  const nextSeq = useRef(0);
  const followTail = Math.min(tail, MAX_FOLLOW_TAIL);

  const start = useCallback(() => {
    setRun((current) => ({ id: (current?.id ?? 0) + 1 }));
    setView((current) => ({ ...current, status: { state: 'connecting' } }));
  }, []);
  const stop = useCallback(() => {
    setRun(null);
    setView((current) =>
      current.status.state === 'off' || current.status.state === 'stopped'
        ? current
        : { ...current, status: { state: 'stopped', reason: 'You stopped following.' } },
    );
  }, []);

  const reset = useCallback(() => {
    setRun(null);
    setView(OFF);
  }, []);

  useEffect(() => {
    if (!run) return;
    let closed = false;
    let reopenedAfterRefusal = false;
    let source: EventSource | null = null;

    const finish = (status: FollowStatus) => {
      closed = true;
      source?.close();
      setView((current) => ({ ...current, status }));
      setRun(null);
    };

    const open = () => {
      const eventSource = new EventSource(containerLogStreamUrl(container, followTail));
      source = eventSource;
      // The server's `open` event (the native one carries no data): the tail follows, so the lines start again.
      eventSource.addEventListener('open', (event) => {
        const data = parseData(event);
        if (data === undefined) return;
        const seconds = field(data, 'maxDurationSeconds');
        setView({ status: { state: 'live', maxDurationSeconds: typeof seconds === 'number' ? seconds : null }, lines: [], dropped: 0 });
      });
      eventSource.addEventListener('lines', (event) => {
        const lines = field(parseData(event), 'lines');
        if (!Array.isArray(lines)) return;
        const texts = lines.filter((line): line is string => typeof line === 'string');
        const added = toLogLines(texts, nextSeq.current);
        nextSeq.current += added.length;
        setView((current) => {
          const next = appendCapped(current.lines, added, maxLines);
          return { status: current.status, lines: next.lines, dropped: current.dropped + next.dropped };
        });
      });
      eventSource.addEventListener('end', (event) => {
        const message = field(parseData(event), 'message');
        finish({ state: 'stopped', reason: typeof message === 'string' && message !== '' ? message : 'The server ended the follow.' });
      });
      eventSource.addEventListener('error', () => {
        if (closed) return;
        if (eventSource.readyState !== EVENT_SOURCE_CLOSED) {
          // A dropped connection: the browser opens it again by itself.
          setView((current) => ({ ...current, status: { state: 'reconnecting' } }));
          return;
        }
        eventSource.close();
        void refusalOf(container, followTail).then((refusal) => {
          if (closed) return;
          if (refusal === null && !reopenedAfterRefusal) {
            reopenedAfterRefusal = true;
            open();
            return;
          }
          finish(
            refusal === null
              ? { state: 'stopped', reason: 'The live log could not be opened. Try again.' }
              : { state: 'stopped', reason: errorMessage(refusal), error: refusal },
          );
        });
      });
    };

    open();
    return () => {
      closed = true;
      source?.close();
    };
  }, [run, container, followTail, maxLines]);

  return { status: view.status, lines: view.lines, dropped: view.dropped, start, stop, reset };
}
