import { get, type IncomingMessage } from 'node:http';

/** One Server-Sent Event as a browser's EventSource would see it (comments kept apart). */
export interface StreamEvent {
  event: string;
  data: string;
}

export interface EventStream {
  status: number;
  headers: IncomingMessage['headers'];
  /** The body when the answer was not an event stream (an error). */
  body: string;
  events: StreamEvent[];
  comments: string[];
  /** Resolves with the first event (already received or to come) matching `predicate`. */
  next(predicate: (event: StreamEvent) => boolean, timeoutMs?: number): Promise<StreamEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Disconnects, as a closed browser tab does. */
  close(): void;
}

/** Opens `url` with the given headers and reads it as text/event-stream (or, for an error, as a body). */
export function openEventStream(url: string, headers: Record<string, string>): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
      const events: StreamEvent[] = [];
      const comments: string[] = [];
      const waiters: { predicate: (event: StreamEvent) => boolean; resolve: (event: StreamEvent) => void }[] = [];
      let buffer = '';
      let body = '';
      let markEnded: () => void = () => undefined;
      const ended = new Promise<void>((done) => (markEnded = done));
      const isStream = (response.headers['content-type'] ?? '').startsWith('text/event-stream');
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (!isStream) {
          body += chunk;
          return;
        }
        buffer += chunk;
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) event = line.slice('event: '.length);
            else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
          }
          if (data.length === 0) continue;
          const received = { event, data: data.join('\n') };
          events.push(received);
          for (const waiter of [...waiters]) {
            if (waiter.predicate(received)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(received);
            }
          }
        }
      });
      response.on('end', () => markEnded());
      response.on('close', () => markEnded());
      const stream: EventStream = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        get body() {
          return body;
        },
        events,
        comments,
        ended,
        next(predicate, timeoutMs = 10_000) {
          const found = events.find(predicate);
          if (found) return Promise.resolve(found);
          return new Promise((resolveEvent, rejectEvent) => {
            const timer = setTimeout(
              () => rejectEvent(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events).slice(-500)}`)),
              timeoutMs,
            );
            waiters.push({
              predicate,
              resolve: (event) => {
                clearTimeout(timer);
                resolveEvent(event);
              },
            });
          });
        },
        close: () => request.destroy(),
      };
      if (isStream) resolve(stream);
      else response.on('end', () => resolve(stream));
    });
    request.on('error', (error) => reject(error));
  });
}
