import { type ApprovalDecidedEvent, type ApprovalRequiredEvent, ErrorCode, Role } from '@aegis/contracts';
import { GovernanceEvents } from '@aegis/governance';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ADMINS_ROOM, type ChatNamespace, SESSION_ENDED_MESSAGE, userRoom } from './socket-rooms';
import { SocketSessions } from './socket-sessions';

type ApprovalEvent =
  { name: 'approval:required'; payload: ApprovalRequiredEvent } | { name: 'approval:decided'; payload: ApprovalDecidedEvent };

/**
 * Sends every approval event of the governance bus — chat runs, HTTP and API-key requests alike —
 * to the requester's own sockets and to every admin's, each socket once (docs/agent.md "Approval events").
 */
@Injectable()
export class ApprovalNotifier implements OnModuleDestroy {
  private readonly logger = new Logger(ApprovalNotifier.name);
  private unsubscribe: (() => void)[] = [];
  /** Admin deliveries one after another, so `approval:decided` never overtakes its `approval:required`. */
  private adminDeliveries: Promise<void> = Promise.resolve();

  constructor(
    private readonly events: GovernanceEvents,
    private readonly sessions: SocketSessions,
  ) {}

  attach(namespace: ChatNamespace): void {
    this.unsubscribe = [
      this.events.on('approval:required', (payload) =>
        this.deliver(namespace, { name: 'approval:required', payload }, payload.requestedBy.userId),
      ),
      this.events.on('approval:decided', (payload) =>
        this.deliver(namespace, { name: 'approval:decided', payload }, payload.requestedByUserId),
      ),
    ];
  }

  /** Stops listening, then lets the deliveries under way finish before the database closes. */
  onModuleDestroy(): Promise<void> {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    return this.adminDeliveries;
  }

  private deliver(namespace: ChatNamespace, event: ApprovalEvent, requesterUserId: string): void {
    // The requester's sockets at once, in order with the run's other events (tool:result follows approval:decided).
    this.emit(namespace.to(userRoom(requesterUserId)), event);
    this.adminDeliveries = this.adminDeliveries
      .then(() => this.toAdmins(namespace, event, requesterUserId))
      .catch((error: unknown) => this.logger.error({ err: error, event: event.name }, 'could not send an approval event to the admins'));
  }

  /**
   * Every socket in the admins' room whose sign-in (or API key) still stands with the admin role —
   * as for a run, an expired access token alone does not end it. The others leave the room and,
   * like a socket whose message finds its session ended, are told so and disconnected (the client
   * renews its session and reconnects with the role it has now).
   */
  private async toAdmins(namespace: ChatNamespace, event: ApprovalEvent, requesterUserId: string): Promise<void> {
    const sockets = await namespace.in(ADMINS_ROOM).except(userRoom(requesterUserId)).fetchSockets();
    const admins: string[] = [];
    await Promise.all(
      sockets.map(async (socket) => {
        const now = await this.sessions.standing(socket.data.principal);
        if (now?.role === Role.Admin) {
          admins.push(socket.id);
          return;
        }
        socket.leave(ADMINS_ROOM);
        socket.emit('run:error', { conversationId: null, runId: null, code: ErrorCode.SessionExpired, message: SESSION_ENDED_MESSAGE });
        socket.disconnect(true);
      }),
    );
    // Each socket is in the room named by its id; one emit to all of them sends each one copy.
    if (admins.length > 0) this.emit(namespace.to(admins), event);
  }

  private emit(target: ReturnType<ChatNamespace['to']>, event: ApprovalEvent): void {
    if (event.name === 'approval:required') target.emit('approval:required', event.payload);
    else target.emit('approval:decided', event.payload);
  }
}
