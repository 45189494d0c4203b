import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AdminBootstrapService } from '@aegis/auth';
import type { AppConfig } from '@aegis/config';
import type { ClientToServerEvents, ServerToClientEvents } from '@aegis/contracts';
import { createTestDatabase, type FakeLlmServer, startFakeLlmServer, testConfig } from '@aegis/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import request from 'supertest';
import { createApp } from '../app/create-app';
import { type BrowserSession, cookieHeader, sessionOf } from '../testing/http-session';

// The red-team suite (docs/security.md "Red-team suite") attacks a real server the way an outsider
// would: HTTP and socket.io on a loopback port, a real PostgreSQL, the real sandbox, the fake LLM
// server for the agent. Every *.redteam-spec.ts starts one with startRedteamServer().

export type ChatClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The people every red-team server has: two admins, two operators and a viewer. */
export const REDTEAM_USERS = {
  root: 'admin',
  admin2: 'admin',
  opal: 'operator',
  otto: 'operator',
  vera: 'viewer',
} as const;
export type RedteamUser = keyof typeof REDTEAM_USERS;

export const REDTEAM_ADMIN_PASSWORD = 'admin-password-for-red-team';
export const REDTEAM_USER_PASSWORD = 'correct horse battery staple';

export interface RedteamServer {
  app: NestExpressApplication;
  config: AppConfig;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  /** WORKSPACE_DIR on the host (owned by the sandbox user when the tests run as root). */
  workspace: string;
  fake: FakeLlmServer;
  sessions: Record<RedteamUser, BrowserSession>;
  http(): ReturnType<typeof request>;
  /** Requests as a signed-in browser: the session cookies, and the CSRF header on unsafe methods. */
  as(who: RedteamUser): {
    get(path: string): request.Test;
    post(path: string, body?: object): request.Test;
    patch(path: string, body?: object): request.Test;
    delete(path: string): request.Test;
  };
  /** Requests with `Authorization: Bearer <key>` (no cookie, no CSRF). */
  withKey(key: string): {
    get(path: string): request.Test;
    post(path: string, body?: object): request.Test;
    patch(path: string, body?: object): request.Test;
    delete(path: string): request.Test;
  };
  /** Creates an API key for `who` (through the HTTP API) and returns the secret. */
  apiKey(who: RedteamUser, role?: string): Promise<string>;
  /** Signs in again (a fresh session) through POST /api/auth/login. */
  login(username: string, password?: string): Promise<BrowserSession>;
  /** A connected /chat socket with the session's cookie (or the given headers); rejects with the connect error. */
  socket(who: RedteamUser | { headers: Record<string, string> }, options?: Partial<ManagerOptions & SocketOptions>): Promise<ChatClient>;
  close(): Promise<void>;
}

export interface RedteamServerOptions {
  /** Extra environment for the configuration (e.g. RATE_LIMIT_CHAT, SANDBOX_DRIVER). */
  env?: Record<string, string>;
}

/** Starts the whole API (AppModule, as main.ts does) on a loopback port with the red-team users signed in. */
export async function startRedteamServer(options: RedteamServerOptions = {}): Promise<RedteamServer> {
  const fake = await startFakeLlmServer();
  const config = testConfig({
    ADMIN_USERNAME: 'root',
    ADMIN_PASSWORD: REDTEAM_ADMIN_PASSWORD,
    RATE_LIMIT_LOGIN_IP: '1000/60',
    RATE_LIMIT_LOGIN: '1000/60',
    RATE_LIMIT_TOOLS: '1000/60',
    RATE_LIMIT_CHAT: '1000/60',
    PROVIDER_ORDER: 'openai',
    OPENAI_API_KEY: 'sk-redteam-0123456789abcdef',
    OPENAI_BASE_URL: fake.baseUrl('openai'),
    ...options.env,
  });
  const workspace = config.workspaceDir;
  mkdirSync(workspace, { recursive: true });
  chmodSync(workspace, 0o777);
  const { app } = await createApp(config, { url: await createTestDatabase(), embedded: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  await app.get(AdminBootstrapService).ensureAdmin();

  const http = () => request(app.getHttpServer());
  const login = async (username: string, password = REDTEAM_USER_PASSWORD) =>
    sessionOf(await http().post('/api/auth/login').set('Content-Type', 'application/json').send({ username, password }).expect(200));
  const sessions = {} as Record<RedteamUser, BrowserSession>;
  sessions.root = await login('root', REDTEAM_ADMIN_PASSWORD);

  const as = (who: RedteamUser) => {
    const session = sessions[who];
    const unsafe = (test: request.Test, body?: object) => {
      const withAuth = test.set('Cookie', cookieHeader(session)).set('X-CSRF-Token', session.csrf);
      return body === undefined ? withAuth : withAuth.send(body);
    };
    return {
      get: (path: string) => http().get(path).set('Cookie', cookieHeader(session)),
      post: (path: string, body: object = {}) => unsafe(http().post(path), body),
      patch: (path: string, body: object = {}) => unsafe(http().patch(path), body),
      delete: (path: string) => unsafe(http().delete(path)),
    };
  };
  const withKey = (key: string) => {
    const auth = (test: request.Test) => test.set('Authorization', `Bearer ${key}`);
    return {
      get: (path: string) => auth(http().get(path)),
      post: (path: string, body: object = {}) => auth(http().post(path)).send(body),
      patch: (path: string, body: object = {}) => auth(http().patch(path)).send(body),
      delete: (path: string) => auth(http().delete(path)),
    };
  };

  for (const [username, role] of Object.entries(REDTEAM_USERS)) {
    if (username === 'root') continue;
    await as('root').post('/api/users', { username, password: REDTEAM_USER_PASSWORD, role }).expect(201);
    sessions[username as RedteamUser] = await login(username);
  }

  const sockets: ChatClient[] = [];
  const socket = (who: RedteamUser | { headers: Record<string, string> }, socketOptions: Partial<ManagerOptions & SocketOptions> = {}) =>
    new Promise<ChatClient>((resolve, reject) => {
      const headers = typeof who === 'string' ? { Cookie: cookieHeader(sessions[who]), Origin: baseUrl } : who.headers;
      const client: ChatClient = io(`${baseUrl}/chat`, {
        transports: ['websocket'],
        reconnection: false,
        extraHeaders: headers,
        ...socketOptions,
      });
      sockets.push(client);
      client.once('connect', () => resolve(client));
      client.once('connect_error', (error) => reject(error));
    });

  return {
    app,
    config,
    baseUrl,
    workspace,
    fake,
    sessions,
    http,
    as,
    withKey,
    login,
    socket,
    async apiKey(who, role) {
      const response = await as(who)
        .post('/api/api-keys', { name: `redteam-${who}-${sockets.length}-${Date.now()}`, ...(role ? { role } : {}) })
        .expect(201);
      return (response.body as { key: string }).key;
    },
    async close() {
      for (const client of sockets) client.disconnect();
      await app.close();
      await fake.close();
    },
  };
}

/** A path inside the workspace, for checks on the host. */
export function inWorkspace(server: Pick<RedteamServer, 'workspace'>, ...parts: string[]): string {
  return join(server.workspace, ...parts);
}
