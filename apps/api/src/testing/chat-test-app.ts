import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminBootstrapService } from '@aegis/auth';
import type { ClientToServerEvents, MessageSendAck, ServerToClientEvents } from '@aegis/contracts';
import { createTestDatabase, type FakeLlmServer, startFakeLlmServer, testConfig } from '@aegis/testing';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { AppModule } from '../app/app.module';
import { configureApp } from '../app/configure-app';
import { ChatModule } from '../chat/chat.module';
import { type BrowserSession, cookieHeader, sessionOf } from './http-session';
import { SocketRecorder } from './socket-recorder';

export type ChatClient = Socket<ServerToClientEvents, ClientToServerEvents>;

const CHAT_ADMIN_PASSWORD = 'admin-password-for-tests';
export const CHAT_USER_PASSWORD = 'correct horse battery staple';

interface StartedChatApp {
  fake: FakeLlmServer;
  app: NestExpressApplication;
  baseUrl: string;
  /** `root`, the first admin. */
  admin: BrowserSession;
  /** `opal`, an operator. */
  operator: BrowserSession;
  /** `otto`, another operator. */
  other: BrowserSession;
}

/**
 * The API with the chat on a loopback port for the chat's integration tests: PostgreSQL, the
 * bubblewrap sandbox in a fresh workspace (hello.txt, and record.py that appends its arguments to
 * runs.txt, so CRITICAL runs can be counted), and the fake LLM server as the only provider.
 * Create it when the suite is declared; `start()` in beforeAll, `close()` in afterAll.
 */
export function chatTestApp() {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-chat-'));
  chmodSync(workspace, 0o777);
  writeFileSync(join(workspace, 'hello.txt'), 'hello\n');
  // Run by python3 (CRITICAL, so only after approval): appends its arguments, so runs can be counted.
  writeFileSync(
    join(workspace, 'record.py'),
    "import sys\nwith open('runs.txt', 'a') as f:\n    f.write(' '.join(sys.argv[1:]) + '\\n')\n",
  );
  const sockets: ChatClient[] = [];
  let fake: FakeLlmServer | undefined;
  let server: { app: NestExpressApplication; baseUrl: string } | undefined;
  const running = () => {
    if (!server) throw new Error('chatTestApp().start() has not run');
    return server;
  };

  const http = () => request(running().app.getHttpServer());
  const post = (session: BrowserSession, path: string, body: object = {}) =>
    http().post(path).set('Cookie', cookieHeader(session)).set('X-CSRF-Token', session.csrf).send(body);
  const get = (session: BrowserSession, path: string) => http().get(path).set('Cookie', cookieHeader(session));

  async function login(username: string, password: string): Promise<BrowserSession> {
    return sessionOf(await http().post('/api/auth/login').send({ username, password }).expect(200));
  }

  /** A socket on /chat, with the session's cookies (none: anonymous); closed by `close()`. */
  async function connect(session?: BrowserSession): Promise<{ socket: ChatClient; recorder: SocketRecorder }> {
    const socket: ChatClient = io(`${running().baseUrl}/chat`, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: session ? { Cookie: cookieHeader(session) } : {},
    });
    sockets.push(socket);
    const recorder = new SocketRecorder(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return { socket, recorder };
  }

  /** Closes this socket with the others at the end (for sockets made by hand). */
  const track = (socket: ChatClient) => void sockets.push(socket);

  const send = (socket: ChatClient, payload: Parameters<ClientToServerEvents['message:send']>[0]) =>
    new Promise<MessageSendAck>((resolve) => socket.emit('message:send', payload, resolve));

  const runs = () =>
    existsSync(join(workspace, 'runs.txt')) ? readFileSync(join(workspace, 'runs.txt'), 'utf8').split('\n').filter(Boolean) : [];

  async function start(): Promise<StartedChatApp> {
    fake = await startFakeLlmServer();
    const config = testConfig({
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD: CHAT_ADMIN_PASSWORD,
      RATE_LIMIT_LOGIN_IP: '100/60',
      RATE_LIMIT_CHAT: '10/60',
      WORKSPACE_DIR: workspace,
      PROVIDER_ORDER: 'openai',
      OPENAI_API_KEY: 'sk-test-chat-0123456789',
      OPENAI_BASE_URL: fake.baseUrl('openai'),
    });
    @Module({ imports: [AppModule.forRoot(config, { url: await createTestDatabase(), embedded: false }), ChatModule] })
    class TestRoot {}
    const app = await NestFactory.create<NestExpressApplication>(TestRoot, { bodyParser: false, logger: false });
    configureApp(app, config);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    server = { app, baseUrl: `http://127.0.0.1:${address.port}` };
    await app.get(AdminBootstrapService).ensureAdmin();
    const admin = await login('root', CHAT_ADMIN_PASSWORD);
    for (const [username, role] of [
      ['opal', 'operator'],
      ['otto', 'operator'],
    ]) {
      await post(admin, '/api/users', { username, password: CHAT_USER_PASSWORD, role }).expect(201);
    }
    const operator = await login('opal', CHAT_USER_PASSWORD);
    const other = await login('otto', CHAT_USER_PASSWORD);
    return { fake, app, baseUrl: server.baseUrl, admin, operator, other };
  }

  async function close(): Promise<void> {
    for (const socket of sockets) socket.disconnect();
    await server?.app.close();
    await fake?.close();
  }

  return { workspace, start, close, http, post, get, login, connect, track, send, runs };
}
