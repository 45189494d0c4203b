import type { ClientToServerEvents, ServerToClientEvents } from '@aegis/contracts';
import type { Socket } from 'socket.io-client';

type ChatClient = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Waiter {
  name: string;
  predicate: (payload: unknown) => boolean;
  resolve: (payload: unknown) => void;
}

/** Every event a /chat socket received, in order, with ways to wait for one (chat and red-team tests). */
export class SocketRecorder {
  readonly events: { name: string; payload: unknown }[] = [];
  private readonly waiters: Waiter[] = [];

  constructor(socket: ChatClient) {
    socket.onAny((name: string, payload: unknown) => {
      this.events.push({ name, payload });
      for (const waiter of [...this.waiters]) {
        if (waiter.name === name && waiter.predicate(payload)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(payload);
        }
      }
    });
  }

  /** The next event of `name` (from now on) that matches. */
  next<T>(name: keyof ServerToClientEvents, predicate: (payload: T) => boolean = () => true, timeoutMs = 20_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${name} within ${timeoutMs} ms; got ${this.names().join(', ')}`)), timeoutMs);
      this.waiters.push({
        name,
        predicate: (payload) => predicate(payload as T),
        resolve: (payload) => {
          clearTimeout(timer);
          resolve(payload as T);
        },
      });
    });
  }

  /** An event of `name` that matches, already received or the next one. */
  find<T>(name: keyof ServerToClientEvents, predicate: (payload: T) => boolean = () => true, timeoutMs = 20_000): Promise<T> {
    const seen = this.events.find((event) => event.name === name && predicate(event.payload as T));
    return seen ? Promise.resolve(seen.payload as T) : this.next(name, predicate, timeoutMs);
  }

  names(): string[] {
    return this.events.map((event) => event.name);
  }

  clear(): void {
    this.events.length = 0;
  }
}
