import { act } from '@testing-library/react';

/** Stands in for the browser's EventSource: the test plays the server's events. */
export class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  closed = false;

  constructor(readonly url: string) {
    super();
    FakeEventSource.instances.push(this);
  }

  close(): void {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }

  /** A server event (`open`, `lines`, `end`) with its JSON data. */
  emit(type: string, data: unknown): void {
    act(() => {
      this.readyState = FakeEventSource.OPEN;
      this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data) }));
    });
  }

  /** A failed connection: CONNECTING means the browser tries again, CLOSED that it gave up (a refusal). */
  fail(readyState: number): void {
    act(() => {
      this.readyState = readyState;
      this.dispatchEvent(new Event('error'));
    });
  }

  static latest(): FakeEventSource {
    const source = FakeEventSource.instances.at(-1);
    if (!source) throw new Error('no EventSource was opened');
    return source;
  }
}
