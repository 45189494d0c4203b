import type { Principal } from '@aegis/auth';
import type { ClientToServerEvents, ServerToClientEvents } from '@aegis/contracts';
import type { Namespace, Socket } from 'socket.io';

/** What the `/chat` namespace keeps on each socket: who connected. */
export interface SocketData {
  principal: Principal;
}

export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ChatNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Every socket of one user (cookie sessions and API keys alike). */
export const userRoom = (userId: string) => `user:${userId}`;
/** The sockets following one conversation (only its owner's can join). */
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;
/** Every socket that connected with the admin role; re-checked before each approval event (docs/agent.md "Approval events"). */
export const ADMINS_ROOM = 'admins';

/** What a socket is told before the server disconnects it because its session no longer stands. */
export const SESSION_ENDED_MESSAGE =
  'Your session has ended (expired, signed out, disabled, revoked or your role changed); sign in again and reconnect';
