import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { CheckFailed } from './api-client';
import { SocketIoClient } from './socket-io-client';

const TIMEOUT_MS = 4000;

/** A real Socket.IO server with a `/chat` namespace that wants `Authorization: Bearer good` and echoes with events. */
async function startIo(heartbeat: { pingInterval: number; pingTimeout: number } = { pingInterval: 25_000, pingTimeout: 20_000 }) {
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'], ...heartbeat });
  const pongs: (() => void)[] = [];
  io.engine.on('connection', (socket: { on(event: 'heartbeat', listener: () => void): void }) => {
    socket.on('heartbeat', () => pongs.shift()?.());
  });
  const chat = io.of('/chat');
  chat.use((socket, next) => next(socket.handshake.headers.authorization === 'Bearer good' ? undefined : new Error('UNAUTHENTICATED')));
  chat.on('connection', (socket) => {
    socket.on('echo', (payload: unknown, ack: (answer: unknown) => void) => {
      socket.emit('first', { n: 1 });
      socket.emit('second', { n: 2, payload });
      ack({ got: payload });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Resolves when the server has received the client's next pong. */
    nextPong: () => new Promise<void>((resolve) => pongs.push(resolve)),
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}

describe('SocketIoClient', () => {
  it('joins the namespace with the headers, gets acknowledgements and waits for an event past others', async () => {
    const server = await startIo();
    const client = await SocketIoClient.connect(server.url, '/chat', { Authorization: 'Bearer good' }, TIMEOUT_MS);
    try {
      await expect(client.emitWithAck('echo', { text: 'hi' }, TIMEOUT_MS)).resolves.toEqual({ got: { text: 'hi' } });
      const second = await client.waitFor(
        (event) => (event.name === 'second' ? event.payload : undefined),
        Date.now() + TIMEOUT_MS,
        'the second event',
      );
      expect(second).toEqual({ n: 2, payload: { text: 'hi' } });
    } finally {
      client.close();
      await server.close();
    }
  });

  it('reports a refused handshake with the server’s reason', async () => {
    const server = await startIo();
    try {
      const connecting = SocketIoClient.connect(server.url, '/chat', { Authorization: 'Bearer bad' }, TIMEOUT_MS);
      await expect(connecting).rejects.toThrow(new CheckFailed('the socket handshake was refused: UNAUTHENTICATED'));
    } finally {
      await server.close();
    }
  });

  it('answers pings, so a long turn keeps its connection', async () => {
    const server = await startIo({ pingInterval: 20, pingTimeout: 1000 });
    const client = await SocketIoClient.connect(server.url, '/chat', { Authorization: 'Bearer good' }, TIMEOUT_MS);
    try {
      for (let pong = 0; pong < 3; pong++) await server.nextPong();
      await expect(client.emitWithAck('echo', 'still there', TIMEOUT_MS)).resolves.toEqual({ got: 'still there' });
    } finally {
      client.close();
      await server.close();
    }
  });

  it('says when the socket closes before the awaited event', async () => {
    const server = await startIo();
    const client = await SocketIoClient.connect(server.url, '/chat', { Authorization: 'Bearer good' }, TIMEOUT_MS);
    const waiting = client.waitFor(() => undefined, Date.now() + TIMEOUT_MS, 'the end of the turn');
    const refused = expect(waiting).rejects.toThrow(/^the socket closed \(\d+.*\) before the end of the turn$/);
    await server.close();
    await refused;
  });
});
