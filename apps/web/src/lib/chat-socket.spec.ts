import type { ClientToServerEvents, ServerToClientEvents } from '@aegis/contracts';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatConnection, type ChatConnectionState, type SessionCheck } from './chat-socket';

/** A real socket.io server on a loopback port, with a handshake that refuses while `acceptHandshakes` is false. */
interface TestServer {
  url: string;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  http: HttpServer;
  sockets: () => ServerSocket<ClientToServerEvents, ServerToClientEvents>[];
  acceptHandshakes: boolean;
  refusal: string;
}

async function startServer(): Promise<TestServer> {
  const http = createServer();
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http);
  const server: TestServer = {
    url: '',
    io,
    http,
    sockets: () => [...io.of('/chat').sockets.values()],
    acceptHandshakes: true,
    refusal: 'UNAUTHENTICATED',
  };
  const chat = io.of('/chat');
  chat.use((_socket, next) => (server.acceptHandshakes ? next() : next(new Error(server.refusal))));
  chat.on('connection', (socket) => {
    socket.on('conversation:join', (payload, ack) => {
      socket.emit('message:delta', { conversationId: payload.conversationId, runId: 'run-1', text: 'replayed' });
      ack?.({ ok: true, replayed: 1 });
    });
    // Never answers: the client must give up on its own.
    socket.on('run:cancel', () => undefined);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  server.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/chat`;
  return server;
}

async function stopServer(server: TestServer): Promise<void> {
  await new Promise<void>((resolve) => {
    void server.io.close(() => resolve());
  });
}

function connectionTo(server: TestServer, checkSession: () => Promise<SessionCheck> = () => Promise.resolve('valid')) {
  const onSessionEnded = vi.fn();
  const connection = new ChatConnection({
    url: server.url,
    transports: ['websocket'],
    checkSession,
    onSessionEnded,
    backoff: { minDelayMs: 40, maxDelayMs: 160, randomisation: 0.5 },
    ackTimeoutMs: 300,
  });
  const states: ChatConnectionState[] = [];
  connection.subscribe(() => states.push(connection.getState()));
  return { connection, states, onSessionEnded };
}

function until(connection: ChatConnection, status: ChatConnectionState['status'], timeoutMs = 3_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (connection.getState().status === status) return resolve();
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`still ${connection.getState().status}, expected ${status}`));
    }, timeoutMs);
    const stop = connection.subscribe(() => {
      if (connection.getState().status !== status) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

describe('ChatConnection', () => {
  let server: TestServer;
  let connection: ChatConnection | undefined;

  beforeEach(async () => {
    server = await startServer();
  });

  afterEach(async () => {
    connection?.close();
    connection = undefined;
    await stopServer(server);
  });

  it('connects, delivers typed events to listeners and answers requests with the acknowledgement', async () => {
    const made = connectionTo(server);
    connection = made.connection;
    const deltas: string[] = [];
    connection.on('message:delta', (event) => deltas.push(event.text));
    connection.start();
    await until(connection, 'connected');

    const ack = await connection.request('conversation:join', { conversationId: 'c1' });

    expect(ack).toEqual({ ok: true, replayed: 1 });
    expect(deltas).toEqual(['replayed']);
    expect(made.states.map((state) => state.status)).toEqual(['connecting', 'connected']);
  });

  it('gives up on an unanswered request after its timeout', async () => {
    connection = connectionTo(server).connection;
    connection.start();
    await until(connection, 'connected');

    await expect(connection.request('run:cancel', { runId: 'r1' }, 100)).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('leaves no listener behind after unsubscribing', () => {
    connection = connectionTo(server).connection;
    const stopDelta = connection.on('message:delta', () => undefined);
    const stopTool = connection.on('tool:call', () => undefined);
    const stopSecondDelta = connection.on('message:delta', () => undefined);
    expect(connection.listenerCount()).toBe(3);

    stopDelta();
    stopSecondDelta();
    stopTool();
    stopTool();

    expect(connection.listenerCount()).toBe(0);
    expect(connection.listenerCount('message:delta')).toBe(0);
  });

  it('reconnects with a growing, capped, randomised delay after the transport drops', async () => {
    const made = connectionTo(server);
    connection = made.connection;
    connection.start();
    await until(connection, 'connected');
    // Refuse the next handshakes with a network-like error so a few attempts fail.
    server.acceptHandshakes = false;
    server.refusal = 'SERVER_BUSY';
    for (const socket of server.sockets()) socket.conn.close();

    await until(connection, 'reconnecting');
    await vi.waitFor(
      () => {
        expect(made.states.filter((state) => state.status === 'reconnecting').length).toBeGreaterThanOrEqual(3);
      },
      { timeout: 3_000 },
    );
    server.acceptHandshakes = true;
    await until(connection, 'connected');

    const attempts = made.states.flatMap((state) => (state.status === 'reconnecting' ? [state] : []));
    expect(attempts.slice(0, 3).map((state) => state.attempt)).toEqual([1, 2, 3]);
    for (const state of attempts) {
      expect(state.nextDelayMs).toBeGreaterThanOrEqual(20);
      expect(state.nextDelayMs).toBeLessThanOrEqual(160);
    }
    expect(made.onSessionEnded).not.toHaveBeenCalled();
  });

  it('renews the session once when the handshake is refused for it, then connects', async () => {
    server.acceptHandshakes = false;
    const checkSession = vi.fn(() => {
      server.acceptHandshakes = true;
      return Promise.resolve<SessionCheck>('valid');
    });
    const made = connectionTo(server, checkSession);
    connection = made.connection;
    connection.start();

    await until(connection, 'connected');

    expect(checkSession).toHaveBeenCalledTimes(1);
    expect(made.onSessionEnded).not.toHaveBeenCalled();
  });

  it('renews the session and reconnects after the server disconnects the socket (SESSION_EXPIRED)', async () => {
    const checkSession = vi.fn(() => Promise.resolve<SessionCheck>('valid'));
    const made = connectionTo(server, checkSession);
    connection = made.connection;
    connection.start();
    await until(connection, 'connected');
    const first = server.sockets()[0];

    first?.disconnect(true);

    await vi.waitFor(() => expect(checkSession).toHaveBeenCalledTimes(1));
    await until(connection, 'connected');
    expect(server.sockets().map((socket) => socket.id)).not.toContain(first?.id);
  });

  it('announces the end of the session when it cannot be renewed, and stops reconnecting', async () => {
    server.acceptHandshakes = false;
    server.refusal = 'SESSION_EXPIRED';
    const made = connectionTo(server, () => Promise.resolve('ended'));
    connection = made.connection;
    connection.start();

    await until(connection, 'session-ended');

    expect(made.onSessionEnded).toHaveBeenCalledTimes(1);
    await expect(connection.request('run:cancel', { runId: 'r1' })).rejects.toMatchObject({ code: 'SESSION_ENDED' });
    expect(server.sockets()).toHaveLength(0);
  });

  it('ends the session when the handshake is still refused after a renewal', async () => {
    server.acceptHandshakes = false;
    const checkSession = vi.fn(() => Promise.resolve<SessionCheck>('valid'));
    const made = connectionTo(server, checkSession);
    connection = made.connection;
    connection.start();

    await until(connection, 'session-ended');

    expect(checkSession).toHaveBeenCalledTimes(1);
    expect(made.onSessionEnded).toHaveBeenCalledTimes(1);
  });

  it('starts a fresh connection after a session end when asked again (the next sign-in)', async () => {
    connection = connectionTo(server).connection;
    connection.start();
    await until(connection, 'connected');

    connection.endSession();
    expect(connection.getState()).toEqual({ status: 'session-ended' });
    await vi.waitFor(() => expect(server.sockets()).toHaveLength(0));

    connection.start();
    await until(connection, 'connected');
    expect(server.sockets()).toHaveLength(1);
  });
});
