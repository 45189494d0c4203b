import {
  COUNTER_STORE,
  type CounterStore,
  handshakeClientAddress,
  originAllowed,
  type Principal,
  proxyTrust,
  type ProxyTrust,
} from '@aegis/auth';
import { APP_CONFIG, type AppConfig } from '@aegis/config';
import {
  type ActionConfirmAck,
  AegisError,
  type ConversationJoinAck,
  ErrorCode,
  type MessageSendAck,
  Role,
  type RunErrorEvent,
  type ServerToClientEvents,
} from '@aegis/contracts';
import { type BeforeApplicationShutdown, Inject, Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, type OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { ApprovalNotifier } from './approval-notifier';
import { ChatRunsService } from './chat-runs.service';
import { ADMINS_ROOM, type ChatNamespace, type ChatSocket, conversationRoom, SESSION_ENDED_MESSAGE, userRoom } from './socket-rooms';
import { samePrincipal, SocketSessions } from './socket-sessions';

/** Thrown by a handler when the socket's session no longer stands; the socket is told why and disconnected. */
class SessionEnded extends AegisError {
  constructor() {
    super(ErrorCode.SessionExpired, SESSION_ENDED_MESSAGE);
  }
}

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof AegisError)
    return { code: error.code, message: error.details?.length ? `${error.message}: ${error.details.join('; ')}` : error.message };
  return { code: ErrorCode.Internal, message: 'Something went wrong' };
}

function single(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

/**
 * The `/chat` namespace: the handshake checks the page's Origin and authenticates like HTTP
 * (access cookie or API key); every message re-checks that session, then starts, cancels,
 * follows or confirms agent runs (docs/agent.md "The socket").
 */
@WebSocketGateway({ namespace: '/chat' })
export class ChatGateway implements OnGatewayInit<ChatNamespace>, BeforeApplicationShutdown {
  private readonly logger = new Logger(ChatGateway.name);
  private readonly trust: ProxyTrust;

  constructor(
    private readonly sessions: SocketSessions,
    private readonly runs: ChatRunsService,
    private readonly approvals: ApprovalNotifier,
    @Inject(COUNTER_STORE) private readonly counters: CounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.trust = proxyTrust(config.trustProxy);
  }

  afterInit(namespace: ChatNamespace): void {
    namespace.use((socket, next) => {
      const { headers } = socket.handshake;
      // A page elsewhere must not open the socket with the user's cookie (cross-site WebSocket hijacking).
      if (!originAllowed(single(headers.origin), single(headers.host), this.config.corsOrigins, single(headers['sec-fetch-site']))) {
        this.logger.warn({ origin: single(headers.origin) }, 'socket handshake from a foreign origin refused');
        return next(new Error(ErrorCode.OriginRefused));
      }
      this.sessions.principalOf(socket.handshake).then(
        (principal) => {
          if (!principal) return next(new Error(ErrorCode.Unauthenticated));
          socket.data.principal = principal;
          void socket.join(userRoom(principal.userId));
          if (principal.role === Role.Admin) void socket.join(ADMINS_ROOM);
          next();
        },
        (error: unknown) => {
          this.logger.error({ err: error }, 'socket authentication failed');
          next(new Error(ErrorCode.Unauthenticated));
        },
      );
    });
    this.approvals.attach(namespace);
    this.runs.attach((target, name, payload) => {
      // The notifier sends approval events (of runs too) to the requester's and every admin's sockets, once each.
      if (name === 'approval:required' || name === 'approval:decided') return;
      const args = [payload] as Parameters<ServerToClientEvents[typeof name]>;
      const rooms = target.userId
        ? [conversationRoom(target.conversationId), userRoom(target.userId)]
        : conversationRoom(target.conversationId);
      namespace.to(rooms).emit(name, ...args);
    });
  }

  @SubscribeMessage('message:send')
  async send(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<MessageSendAck> {
    try {
      const principal = await this.current(socket);
      await this.limit(principal);
      const started = await this.runs.send(
        principal,
        { ip: handshakeClientAddress(socket.handshake, this.trust), userAgent: socket.handshake.headers['user-agent'] },
        payload,
        (conversationId) => {
          void socket.join(conversationRoom(conversationId));
        },
      );
      await socket.join(conversationRoom(started.conversationId));
      return started;
    } catch (error) {
      const conversationId =
        typeof (payload as { conversationId?: unknown } | null)?.conversationId === 'string'
          ? (payload as { conversationId: string }).conversationId
          : null;
      return { ok: false, ...this.refuse(socket, error, conversationId) };
    }
  }

  @SubscribeMessage('run:cancel')
  async cancel(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<{ ok: boolean }> {
    try {
      const principal = await this.current(socket);
      const runId = (payload as { runId?: unknown } | null)?.runId;
      return { ok: this.runs.cancel(principal.userId, runId) };
    } catch (error) {
      this.refuse(socket, error, null);
      return { ok: false };
    }
  }

  /** Follows a conversation; the events so far of its run in progress are sent to this socket first. */
  @SubscribeMessage('conversation:join')
  async join(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<ConversationJoinAck> {
    const conversationId = (payload as { conversationId?: unknown } | null)?.conversationId;
    try {
      const principal = await this.current(socket);
      const missed = await this.runs.missed(principal.userId, conversationId);
      for (const { name, payload: logged } of missed) socket.emit(name, ...([logged] as Parameters<ServerToClientEvents[typeof name]>));
      await socket.join(conversationRoom(conversationId as string));
      return { ok: true, replayed: missed.length };
    } catch (error) {
      this.refuse(socket, error, null);
      return { ok: false, replayed: 0 };
    }
  }

  /** The run owner's answer to a `confirmation:required` (any of their sockets; anyone else is refused). */
  @SubscribeMessage('action:confirm')
  async confirm(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<ActionConfirmAck> {
    try {
      return this.runs.decide(await this.current(socket), payload);
    } catch (error) {
      return { ok: false, ...this.refuse(socket, error, null) };
    }
  }

  /** Runs in progress are cancelled and stored before the database closes. */
  beforeApplicationShutdown(): Promise<void> {
    this.runs.abortAll();
    return this.runs.settle();
  }

  /** The socket's principal as it stands now; SessionEnded when its session no longer does (or now has another role). */
  private async current(socket: ChatSocket): Promise<Principal> {
    const now = await this.sessions.principalOf(socket.handshake);
    if (!now || !samePrincipal(socket.data.principal, now)) throw new SessionEnded();
    return now;
  }

  /** Tells the socket why it was refused; an ended session is also disconnected, after the acknowledgement goes out. */
  private refuse(socket: ChatSocket, error: unknown, conversationId: string | null): { code: string; message: string } {
    const { code, message } = errorOf(error);
    const event: RunErrorEvent = { conversationId, runId: null, code, message };
    socket.emit('run:error', event);
    if (error instanceof SessionEnded) setImmediate(() => socket.disconnect(true));
    else if (!(error instanceof AegisError)) this.logger.error({ err: error }, 'a socket message failed');
    return { code, message };
  }

  /** RATE_LIMIT_CHAT counts per user (every cookie session of theirs) or per API key, over all sockets and instances. */
  private async limit(principal: Principal): Promise<void> {
    const { limit, ttlSeconds } = this.config.rateLimits.chat;
    const counter = principal.kind === 'user' ? `chat:user:${principal.userId}` : `chat:key:${principal.apiKeyId}`;
    const window = await this.counters.hit(counter, ttlSeconds);
    if (window.count > limit) {
      throw new AegisError(
        ErrorCode.RateLimited,
        `Too many messages: at most ${limit} every ${ttlSeconds} s`,
        undefined,
        Math.ceil(window.resetInMs / 1000),
      );
    }
  }
}
