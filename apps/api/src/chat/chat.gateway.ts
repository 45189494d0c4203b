import { Authenticator, COUNTER_STORE, type CounterStore, type Principal } from '@aegis/auth';
import { APP_CONFIG, type AppConfig } from '@aegis/config';
import { AegisError, type ClientToServerEvents, type ConversationJoinAck, ErrorCode, type MessageSendAck, type RunErrorEvent, type ServerToClientEvents } from '@aegis/contracts';
import { type BeforeApplicationShutdown, Inject, Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, type OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Request } from 'express';
import type { Namespace, Socket } from 'socket.io';
import { ChatRunsService } from './chat-runs.service';

interface SocketData {
  principal: Principal;
}

type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type ChatNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const userRoom = (userId: string) => `user:${userId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    try {
      cookies[part.slice(0, index).trim()] = decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      continue;
    }
  }
  return cookies;
}

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof AegisError) return { code: error.code, message: error.details?.length ? `${error.message}: ${error.details.join('; ')}` : error.message };
  return { code: ErrorCode.Internal, message: 'Something went wrong' };
}

/** The `/chat` namespace: the handshake authenticates like HTTP (access cookie or API key), then messages start agent runs. */
@WebSocketGateway({ namespace: '/chat' })
export class ChatGateway implements OnGatewayInit<ChatNamespace>, BeforeApplicationShutdown {
  private readonly logger = new Logger(ChatGateway.name);

  constructor(
    private readonly authenticator: Authenticator,
    private readonly runs: ChatRunsService,
    @Inject(COUNTER_STORE) private readonly counters: CounterStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(namespace: ChatNamespace): void {
    namespace.use((socket, next) => {
      const handshake = socket.handshake;
      const request = { headers: handshake.headers, cookies: parseCookies(handshake.headers.cookie) } as unknown as Request;
      this.authenticator.authenticate(request).then(
        (authentication) => {
          if (!authentication) return next(new Error(ErrorCode.Unauthenticated));
          socket.data.principal = authentication.principal;
          void socket.join(userRoom(authentication.principal.userId));
          next();
        },
        (error: unknown) => {
          this.logger.error({ err: error }, 'socket authentication failed');
          next(new Error(ErrorCode.Unauthenticated));
        },
      );
    });
    this.runs.attach((conversationId, name, payload) => {
      const args = [payload] as Parameters<ServerToClientEvents[typeof name]>;
      namespace.to(conversationRoom(conversationId)).emit(name, ...args);
    });
  }

  @SubscribeMessage('message:send')
  async send(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<MessageSendAck> {
    const principal = socket.data.principal;
    try {
      await this.limit(socket);
      const started = await this.runs.send(principal, { ip: socket.handshake.address, userAgent: socket.handshake.headers['user-agent'] }, payload, (conversationId) => {
        void socket.join(conversationRoom(conversationId));
      });
      await socket.join(conversationRoom(started.conversationId));
      return started;
    } catch (error) {
      const { code, message } = errorOf(error);
      const conversationId = typeof (payload as { conversationId?: unknown } | null)?.conversationId === 'string' ? (payload as { conversationId: string }).conversationId : null;
      const event: RunErrorEvent = { conversationId, runId: null, code, message };
      socket.emit('run:error', event);
      return { ok: false, code, message };
    }
  }

  @SubscribeMessage('run:cancel')
  cancel(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): { ok: boolean } {
    const runId = (payload as { runId?: unknown } | null)?.runId;
    return { ok: this.runs.cancel(socket.data.principal.userId, runId) };
  }

  /** Follows a conversation; the events so far of its run in progress are sent to this socket first. */
  @SubscribeMessage('conversation:join')
  async join(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<ConversationJoinAck> {
    const conversationId = (payload as { conversationId?: unknown } | null)?.conversationId;
    try {
      const missed = await this.runs.missed(socket.data.principal.userId, conversationId);
      for (const { name, payload: logged } of missed) socket.emit(name, ...([logged] as Parameters<ServerToClientEvents[typeof name]>));
      await socket.join(conversationRoom(conversationId as string));
      return { ok: true, replayed: missed.length };
    } catch (error) {
      const { code, message } = errorOf(error);
      socket.emit('run:error', { conversationId: null, runId: null, code, message });
      return { ok: false, replayed: 0 };
    }
  }

  /** Runs in progress are cancelled and stored before the database closes. */
  beforeApplicationShutdown(): Promise<void> {
    this.runs.abortAll();
    return this.runs.settle();
  }

  private async limit(socket: ChatSocket): Promise<void> {
    const { limit, ttlSeconds } = this.config.rateLimits.chat;
    const window = await this.counters.hit(`chat:socket:${socket.id}`, ttlSeconds);
    if (window.count > limit) {
      throw new AegisError(ErrorCode.RateLimited, `Too many messages: at most ${limit} every ${ttlSeconds} s`, undefined, Math.ceil(window.resetInMs / 1000));
    }
  }
}
