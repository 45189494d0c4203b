import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './built-server';

/**
 * A throw-away redis-server per test file: a unix socket for direct clients and a loopback port for
 * REDIS_URL (the configuration accepts only redis:// URLs), optionally behind a password.
 */
export interface RedisServer {
  socket: string;
  url: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client on the server's unix socket. */
export const connectRedis = (server: RedisServer): Redis => new Redis({ path: server.socket });

/** redis-server on PATH first, then where Debian and source builds put it. */
function findRedisServer(): string {
  for (const candidate of ['redis-server', '/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/sbin/redis-server']) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new Error(
    'redis-server not found on PATH or in /usr/bin, /usr/local/bin: install it (Debian: redis-server). ' +
      'The integration tests need a real Redis and never skip.',
  );
}

async function waitUntilReady(socket: string, password: string | undefined, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`redis-server exited during start:\n${output()}`);
    // Connect only once the socket exists: a refused ioredis connection leaves a timer behind.
    if (!existsSync(socket)) {
      if (Date.now() > deadline) throw new Error(`redis-server did not open ${socket} in 10 s\n${output()}`);
      await sleep(20);
      continue;
    }
    const client = new Redis({ path: socket, password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer in 10 s: ${String(error)}\n${output()}`);
      await sleep(50);
    } finally {
      client.disconnect();
    }
  }
}

/** `port`: a fixed port, to start Redis again where a stopped one listened. */
export async function startRedisServer(options: { password?: string; port?: number } = {}): Promise<RedisServer> {
  const binary = findRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'aegis-redis-'));
  const socket = join(dir, 'redis.sock');
  const port = options.port ?? (await freePort());
  let log = '';
  const server = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--unixsocket',
      socket,
      '--unixsocketperm',
      '700',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...(options.password === undefined ? [] : ['--requirepass', options.password]),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    await waitUntilReady(socket, options.password, server, () => log);
  } catch (error) {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    socket,
    url:
      options.password === undefined ? `redis://127.0.0.1:${port}` : `redis://:${encodeURIComponent(options.password)}@127.0.0.1:${port}/0`,
    stop: async () => {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
