import { CheckFailed, RequestTimedOut } from './api-client';

/** An event the server sent on the namespace: its name and its (first) argument. */
export interface SocketEvent {
  name: string;
  payload: unknown;
}

// Engine.IO 4 packet types (the transport) and Socket.IO 5 packet types (inside an Engine.IO message).
const ENGINE_OPEN = '0';
const ENGINE_PING = '2';
const ENGINE_PONG = '3';
const ENGINE_MESSAGE = '4';
const IO_CONNECT = '0';
const IO_EVENT = '2';
const IO_ACK = '3';
const IO_CONNECT_ERROR = '4';

/** A Socket.IO packet's parts after the namespace: `<ack id>?<json>`. */
function parsePacket(text: string): { ackId: number | undefined; data: unknown } {
  const match = /^(\d*)(.*)$/s.exec(text);
  const ackId = match?.[1] ? Number(match[1]) : undefined;
  const json = match?.[2] ?? '';
  try {
    return { ackId, data: json === '' ? undefined : (JSON.parse(json) as unknown) };
  } catch {
    return { ackId, data: undefined };
  }
}

/**
 * The part of the Socket.IO protocol one chat turn needs, over Node's own WebSocket (so the client stays
 * a single file without dependencies): connect to a namespace with the API key in the handshake's
 * headers, answer pings, emit with an acknowledgement, receive events. No polling, no binary packets.
 */
export class SocketIoClient {
  private nextAckId = 0;
  private readonly acks = new Map<number, (value: unknown) => void>();
  private readonly events: SocketEvent[] = [];
  private wake: (() => void) | undefined;
  private closed: string | undefined;

  private constructor(
    private readonly socket: WebSocket,
    private readonly namespace: string,
  ) {}

  /** Opens the WebSocket and joins `namespace`; a refused handshake is a CheckFailed with the server's reason. */
  static connect(baseUrl: string, namespace: string, headers: Record<string, string>, timeoutMs: number): Promise<SocketIoClient> {
    const url = new URL(`${baseUrl}/socket.io/`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = new URLSearchParams({ EIO: '4', transport: 'websocket' }).toString();
    const socket = new WebSocket(url, { headers });
    const client = new SocketIoClient(socket, namespace);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.close();
        reject(new RequestTimedOut(`the socket at ${url.origin} did not connect within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      // HTTP answered before this, so a failed upgrade is this check's failure, not an unreachable server.
      socket.addEventListener('error', () =>
        fail(new CheckFailed(`cannot open the WebSocket at ${url.href} (a proxy in front of Aegis must pass WebSocket upgrades)`)),
      );
      socket.addEventListener('close', (event) => {
        client.closed = `the socket closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`;
        client.wake?.();
        fail(new CheckFailed(client.closed));
      });
      socket.addEventListener('message', (event: MessageEvent) => {
        const text = typeof event.data === 'string' ? event.data : '';
        const outcome = client.receive(text);
        if (outcome === 'connected') {
          clearTimeout(timer);
          resolve(client);
        } else if (outcome !== undefined) fail(new CheckFailed(`the socket handshake was refused: ${outcome}`));
      });
    });
  }

  /** Emits `name` and resolves with the server's acknowledgement. */
  emitWithAck(name: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const ackId = this.nextAckId++;
    this.send(`${IO_EVENT}${this.namespacePrefix()}${ackId}${JSON.stringify([name, payload])}`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(ackId);
        reject(new RequestTimedOut(`the server did not acknowledge ${name} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.acks.set(ackId, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  }

  /** Emits `name` without waiting for anything. */
  emit(name: string, payload: unknown): void {
    this.send(`${IO_EVENT}${this.namespacePrefix()}${JSON.stringify([name, payload])}`);
  }

  /** The next event `accept` returns a value for (events already received included), or a timeout. */
  async waitFor<T>(accept: (event: SocketEvent) => T | undefined, deadline: number, what: string): Promise<T> {
    for (;;) {
      while (this.events.length > 0) {
        const event = this.events.shift() as SocketEvent;
        const value = accept(event);
        if (value !== undefined) return value;
      }
      if (this.closed) throw new CheckFailed(`${this.closed} before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new RequestTimedOut(`no ${what} in time`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  close(): void {
    this.socket.close();
  }

  private namespacePrefix(): string {
    return this.namespace === '/' ? '' : `${this.namespace},`;
  }

  private send(ioPacket: string): void {
    this.socket.send(`${ENGINE_MESSAGE}${ioPacket}`);
  }

  /** Handles one Engine.IO packet; returns 'connected', a refusal's reason, or undefined. */
  private receive(text: string): string | undefined {
    if (text === ENGINE_PING) {
      this.socket.send(ENGINE_PONG);
      return undefined;
    }
    if (text.startsWith(ENGINE_OPEN)) {
      this.send(`${IO_CONNECT}${this.namespacePrefix()}`);
      return undefined;
    }
    if (!text.startsWith(ENGINE_MESSAGE)) return undefined;
    const type = text.charAt(1);
    let rest = text.slice(2);
    const prefix = this.namespacePrefix();
    if (prefix !== '') {
      if (!rest.startsWith(prefix)) return undefined;
      rest = rest.slice(prefix.length);
    }
    const { ackId, data } = parsePacket(rest);
    switch (type) {
      case IO_CONNECT:
        return 'connected';
      case IO_CONNECT_ERROR: {
        const message = typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : data;
        return typeof message === 'string' && message !== '' ? message : 'no reason given';
      }
      case IO_ACK:
        if (ackId !== undefined) this.acks.get(ackId)?.(Array.isArray(data) ? data[0] : undefined);
        if (ackId !== undefined) this.acks.delete(ackId);
        return undefined;
      case IO_EVENT:
        if (Array.isArray(data) && typeof data[0] === 'string') {
          this.events.push({ name: data[0], payload: data[1] });
          this.wake?.();
        }
        return undefined;
      default:
        return undefined;
    }
  }
}
