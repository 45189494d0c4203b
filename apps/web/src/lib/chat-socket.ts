import { ErrorCode, type ClientToServerEvents, type ServerToClientEvents } from '@aegis/contracts';
import { io, type Socket } from 'socket.io-client';
import { apiClient } from './api-client';
import { announceSessionEnd, onSessionEnd } from './session-events';

/** The `/chat` namespace as the browser sees it: typed by the contract both sides share. */
export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<Name extends ServerEventName> = Parameters<ServerToClientEvents[Name]>[0];
export type ClientEventName = keyof ClientToServerEvents;
export type ClientEventPayload<Name extends ClientEventName> = Parameters<ClientToServerEvents[Name]>[0];
/** What the server acknowledges a client event with. */
export type ClientEventAck<Name extends ClientEventName> = Parameters<NonNullable<Parameters<ClientToServerEvents[Name]>[1]>>[0];

/** Where the one chat connection stands; the thread shows everything but `connected` and `idle`. */
export type ChatConnectionState =
  | { status: 'idle' }
  | { status: 'connecting' }
  | { status: 'connected' }
  /** Waiting `nextDelayMs` before try number `attempt`. */
  | { status: 'reconnecting'; attempt: number; nextDelayMs: number }
  /** The browser says it has no network: the next try waits for it to come back. */
  | { status: 'offline' }
  /** The session is over (signed out, or it could not be renewed): nothing reconnects until the next sign-in. */
  | { status: 'session-ended' };

/** What asking the HTTP API about the session came to: it stands (maybe renewed), it is over, or the server could not say. */
export type SessionCheck = 'valid' | 'ended' | 'unknown';

export interface ChatConnectionOptions {
  /** The namespace's address; same origin by default. */
  url?: string;
  /** Renews the session when the socket was refused for it (once per refusal streak). */
  checkSession: () => Promise<SessionCheck>;
  /** Told once when the session turned out to be over. */
  onSessionEnded: () => void;
  /** Reconnect backoff: doubles from minDelayMs up to maxDelayMs, each delay randomised by ±randomisation. */
  backoff?: { minDelayMs: number; maxDelayMs: number; randomisation: number };
  ackTimeoutMs?: number;
  /** Tests pin the transport; browsers let socket.io choose. */
  transports?: ('polling' | 'websocket')[];
}

export class ChatSocketError extends Error {
  override readonly name = 'ChatSocketError';

  constructor(
    readonly code: 'TIMEOUT' | 'SESSION_ENDED',
    message: string,
  ) {
    super(message);
  }
}

/** The handshake refusals that mean "this session", not "this network": renewing the session may cure them. */
const SESSION_REFUSALS: ReadonlySet<string> = new Set([ErrorCode.SessionExpired, ErrorCode.Unauthenticated]);
const DEFAULT_BACKOFF = { minDelayMs: 1_000, maxDelayMs: 30_000, randomisation: 0.5 };
const DEFAULT_ACK_TIMEOUT_MS = 20_000;

type AnyHandler = (payload: unknown) => void;
type AckingEmitter = (name: string, payload: unknown) => Promise<unknown>;

/**
 * One socket.io connection to `/chat` with its own reconnect loop. socket.io's manager neither
 * says how long it will wait nor reconnects after a handshake refusal or a server-side
 * disconnect (which is how the server ends a socket whose session ended), so one backoff here
 * covers all three: a session refusal first renews the session through the HTTP API, once.
 */
export class ChatConnection {
  private socket: ChatSocket | null = null;
  private state: ChatConnectionState = { status: 'idle' };
  private readonly handlers = new Map<ServerEventName, Set<AnyHandler>>();
  private readonly stateListeners = new Set<() => void>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set when the session was renewed after a refusal; a second refusal before connecting means it is over. */
  private renewedSinceConnect = false;
  private readonly backoff: { minDelayMs: number; maxDelayMs: number; randomisation: number };
  private readonly ackTimeoutMs: number;

  constructor(private readonly options: ChatConnectionOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
  }

  getState = (): ChatConnectionState => this.state;

  /** For useSyncExternalStore: called on every state change. */
  subscribe = (listener: () => void): (() => void) => {
    this.stateListeners.add(listener);
    return () => {
      this.stateListeners.delete(listener);
    };
  };

  /** Opens the connection unless it is open or opening; after a session end, a new sign-in starts afresh. */
  start(): void {
    if (this.socket) return;
    const socket: ChatSocket = io(this.options.url ?? '/chat', {
      autoConnect: false,
      reconnection: false,
      withCredentials: true,
      ...(this.options.transports ? { transports: this.options.transports } : {}),
    });
    socket.on('connect', this.onConnect);
    socket.on('disconnect', this.onDisconnect);
    socket.on('connect_error', this.onConnectError);
    socket.onAny(this.dispatch);
    this.socket = socket;
    this.attachNetworkListeners();
    this.setState({ status: 'connecting' });
    socket.connect();
  }

  /** Listens to one server event; the returned function stops listening (call it on unmount). */
  on<Name extends ServerEventName>(name: Name, handler: (payload: ServerEventPayload<Name>) => void): () => void {
    let set = this.handlers.get(name);
    if (!set) {
      set = new Set();
      this.handlers.set(name, set);
    }
    const stored = handler as AnyHandler;
    set.add(stored);
    return () => {
      const current = this.handlers.get(name);
      current?.delete(stored);
      if (current?.size === 0) this.handlers.delete(name);
    };
  }

  /** How many handlers listen (to one event, or to all): no listener is left behind after unsubscribing. */
  listenerCount(name?: ServerEventName): number {
    if (name) return this.handlers.get(name)?.size ?? 0;
    let count = 0;
    for (const set of this.handlers.values()) count += set.size;
    return count;
  }

  /**
   * Sends a client event and resolves with the server's acknowledgement. While reconnecting the
   * event waits in socket.io's buffer; without an answer in time it is dropped from the buffer
   * and the promise rejects with TIMEOUT, so it is never sent late.
   */
  async request<Name extends ClientEventName>(
    name: Name,
    payload: ClientEventPayload<Name>,
    timeoutMs = this.ackTimeoutMs,
  ): Promise<ClientEventAck<Name>> {
    if (this.state.status === 'session-ended')
      throw new ChatSocketError('SESSION_ENDED', 'Your session has ended. Sign in again to continue.');
    this.start();
    const socket = this.socket;
    if (!socket) throw new ChatSocketError('SESSION_ENDED', 'Your session has ended. Sign in again to continue.');
    const timed = socket.timeout(timeoutMs);
    // The contract types each event's acknowledgement; socket.io's timeout() decoration loses that mapping.
    const emitWithAck = timed.emitWithAck.bind(timed) as unknown as AckingEmitter;
    try {
      return (await emitWithAck(name, payload)) as ClientEventAck<Name>;
    } catch {
      throw new ChatSocketError('TIMEOUT', 'The server did not answer in time. Check your connection and try again.');
    }
  }

  /** Ends the connection for good (sign-out, session over); listeners stay for the next sign-in. */
  endSession(): void {
    this.teardown();
    this.setState({ status: 'session-ended' });
  }

  /** Closes the connection and forgets it (tests, and the end of a session). */
  close(): void {
    this.teardown();
    this.setState({ status: 'idle' });
  }

  private teardown(): void {
    this.clearRetry();
    this.detachNetworkListeners();
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.offAny(this.dispatch);
    socket.off('connect', this.onConnect);
    socket.off('disconnect', this.onDisconnect);
    socket.off('connect_error', this.onConnectError);
    socket.disconnect();
  }

  private readonly dispatch = (name: string, ...args: unknown[]): void => {
    const set = this.handlers.get(name as ServerEventName);
    if (!set) return;
    for (const handler of [...set]) handler(args[0]);
  };

  private readonly onConnect = (): void => {
    this.attempt = 0;
    this.renewedSinceConnect = false;
    this.clearRetry();
    this.setState({ status: 'connected' });
  };

  private readonly onDisconnect = (reason: Socket.DisconnectReason): void => {
    // Our own disconnect (teardown) needs nothing more.
    if (reason === 'io client disconnect') return;
    // The server ends a socket whose session no longer stands.
    if (reason === 'io server disconnect') void this.recoverSession();
    else this.scheduleReconnect();
  };

  private readonly onConnectError = (error: Error): void => {
    if (SESSION_REFUSALS.has(error.message)) void this.recoverSession();
    else this.scheduleReconnect();
  };

  private async recoverSession(): Promise<void> {
    const socket = this.socket;
    if (this.renewedSinceConnect) {
      this.sessionOver();
      return;
    }
    this.renewedSinceConnect = true;
    this.setState({ status: 'reconnecting', attempt: this.attempt + 1, nextDelayMs: 0 });
    const outcome = await this.options.checkSession().catch((): SessionCheck => 'unknown');
    // Ended or replaced meanwhile (sign-out during the check).
    if (this.socket !== socket || !socket) return;
    switch (outcome) {
      case 'valid':
        this.connectNow();
        return;
      case 'ended':
        this.sessionOver();
        return;
      case 'unknown':
        // The server could not be asked: not a verdict on the session; ask again next time.
        this.renewedSinceConnect = false;
        this.scheduleReconnect();
        return;
    }
  }

  private sessionOver(): void {
    this.endSession();
    this.options.onSessionEnded();
  }

  private scheduleReconnect(): void {
    if (!this.socket) return;
    this.clearRetry();
    if (isBrowserOffline()) {
      this.setState({ status: 'offline' });
      return;
    }
    this.attempt += 1;
    const delay = this.delayFor(this.attempt);
    this.setState({ status: 'reconnecting', attempt: this.attempt, nextDelayMs: delay });
    this.retryTimer = setTimeout(() => this.connectNow(), delay);
  }

  private delayFor(attempt: number): number {
    const { minDelayMs, maxDelayMs, randomisation } = this.backoff;
    const base = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(attempt - 1, 30));
    const spread = base * randomisation * (Math.random() * 2 - 1);
    return Math.round(Math.min(maxDelayMs, Math.max(minDelayMs / 2, base + spread)));
  }

  private connectNow(): void {
    this.clearRetry();
    const socket = this.socket;
    if (!socket || socket.connected) return;
    if (this.state.status === 'offline') this.setState({ status: 'connecting' });
    socket.connect();
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private readonly onOnline = (): void => {
    if (this.state.status === 'offline' || this.state.status === 'reconnecting') this.connectNow();
  };

  private attachNetworkListeners(): void {
    if (typeof window !== 'undefined') window.addEventListener('online', this.onOnline);
  }

  private detachNetworkListeners(): void {
    if (typeof window !== 'undefined') window.removeEventListener('online', this.onOnline);
  }

  private setState(next: ChatConnectionState): void {
    const current = this.state;
    if (current.status === next.status && JSON.stringify(current) === JSON.stringify(next)) return;
    this.state = next;
    for (const listener of [...this.stateListeners]) listener();
  }
}

function isBrowserOffline(): boolean {
  return typeof navigator !== 'undefined' && 'onLine' in navigator && navigator.onLine === false;
}

/**
 * Asks the HTTP API whether the session stands: a GET through the API client, whose middleware
 * renews an expired access token once (single flight, across tabs) and announces a session end.
 */
async function checkSessionThroughApi(): Promise<SessionCheck> {
  try {
    const { response } = await apiClient.GET('/api/auth/me');
    if (response.ok) return 'valid';
    return response.status === 401 ? 'ended' : 'unknown';
  } catch {
    return 'unknown';
  }
}

let shared: ChatConnection | undefined;

/** The app's one chat connection, created on first use; it ends with the session and starts again after the next sign-in. */
export function chatConnection(): ChatConnection {
  if (!shared) {
    const connection = new ChatConnection({ checkSession: checkSessionThroughApi, onSessionEnded: () => announceSessionEnd('expired') });
    onSessionEnd(() => connection.endSession());
    shared = connection;
  }
  return shared;
}
