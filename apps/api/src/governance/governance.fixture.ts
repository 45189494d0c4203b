import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdminBootstrapService } from '@aegis/auth';
import type { ApiComponents } from '@aegis/contracts';
import { SANDBOX_UID } from '@aegis/governance';
import { createGitWorkspace, createTestDatabase, gitAsOwner, type GitWorkspace, skipUnlessCi, testConfig } from '@aegis/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Dockerode from 'dockerode';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../app/create-app';
import { type BrowserSession, cookieHeader, sessionOf } from '../testing/http-session';

// What the governance HTTP specs share: a real PostgreSQL, the real bubblewrap sandbox, a real git
// repository with a local upstream in the workspace, the host's apt (as root), the whole API with
// four users signed in, and, for the specs that ask, a real Docker container (required with CI=true).

type Schemas = ApiComponents['schemas'];
type AuditPage = Schemas['AuditPageDto'];
export type Who = 'root' | 'admin2' | 'operator' | 'viewer';

const ADMIN_PASSWORD = 'admin-password-for-tests';
const USER_PASSWORD = 'correct horse battery staple';
export const JUSTIFICATION = 'Restore the service configuration after the failed deploy';
export const IMAGE = 'aegis-sandbox:local';

/** Host git as the sandbox user (it owns the workspace). */
export const gitAs = (cwd: string, ...args: string[]) => gitAsOwner(SANDBOX_UID, cwd, ...args);

/** A workspace owned by the sandbox user with `app`, a clone of `upstream.git` (remote ../upstream.git), and a pusher clone outside it. */
function workspaceFixture(): GitWorkspace {
  const { base, workspace, pusher } = createGitWorkspace(SANDBOX_UID, 'aegis-governance-', { 'README.md': 'first\n' });
  // Run by python3 (CRITICAL) after approval: appends its arguments, so runs can be counted.
  writeFileSync(
    join(workspace, 'record.py'),
    "import sys\nwith open('runs.txt', 'a') as f:\n    f.write(' '.join(sys.argv[1:]) + '\\n')\n",
  );
  return { base, workspace, pusher };
}

async function dockerProblem(docker: Dockerode): Promise<string | undefined> {
  try {
    await docker.ping();
    await docker.getImage(IMAGE).inspect();
    return undefined;
  } catch (error) {
    return `Docker or ${IMAGE} is not available: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * The API over HTTP for one spec file. Made when the describe block is, it builds the workspace at once; `start`
 * (in beforeAll) starts a container if asked, the database and the app, and signs the four users in; `close` (in
 * afterAll) undoes it all. The functions may be destructured; `app`, `dataSource` and `dockerSkip` are read on use.
 */
export function governanceOverHttp({ container }: { container: boolean }) {
  const { base, workspace, pusher } = workspaceFixture();
  const containerName = `aegis-gov-test-${randomBytes(4).toString('hex')}`;
  const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
  let dockerSkip: string | undefined;
  let databaseUrl: string;
  let app: NestExpressApplication | undefined;
  const sessions = {} as Record<Who, BrowserSession>;

  const started = (): NestExpressApplication => {
    if (!app) throw new Error('governanceOverHttp: start() has not run');
    return app;
  };
  const http = () => request(started().getHttpServer());
  const get = (who: Who, path: string) => http().get(path).set('Cookie', cookieHeader(sessions[who]));
  const post = (who: Who, path: string, body: object = {}) =>
    http().post(path).set('Cookie', cookieHeader(sessions[who])).set('X-CSRF-Token', sessions[who].csrf).send(body);
  const runs = () =>
    existsSync(join(workspace, 'runs.txt')) ? readFileSync(join(workspace, 'runs.txt'), 'utf8').split('\n').filter(Boolean) : [];

  async function login(username: string, password: string): Promise<BrowserSession> {
    const response = await http().post('/api/auth/login').send({ username, password }).expect(200);
    return sessionOf(response);
  }

  async function startApp(overrides: Record<string, string> = {}): Promise<NestExpressApplication> {
    const config = testConfig({
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD,
      RATE_LIMIT_TOOLS: '1000/60',
      WORKSPACE_DIR: workspace,
      APT_TOOLS_ENABLED: 'true',
      DOCKER_CONTAINER_ALLOWLIST: containerName,
      ...overrides,
    });
    const { app: created } = await createApp(config, { url: databaseUrl, embedded: false });
    await created.init();
    return created;
  }

  async function auditOf(query: string): Promise<AuditPage['items']> {
    return ((await get('root', `/api/audit?${query}`).expect(200)).body as AuditPage).items;
  }

  async function requestApproval(who: Who, body: object): Promise<string> {
    const response = await post(who, '/api/tools/execute_command/execute', body).expect(202);
    return (response.body as Schemas['PendingApprovalDto']).approvalId;
  }

  async function start(): Promise<void> {
    if (container) {
      dockerSkip = skipUnlessCi('Docker', await dockerProblem(docker));
      if (!dockerSkip) {
        const created = await docker.createContainer({
          Image: IMAGE,
          name: containerName,
          Cmd: ['sleep', '600'],
          HostConfig: { Init: true },
        });
        await created.start();
      }
    }
    databaseUrl = await createTestDatabase();
    app = await startApp();
    await app.get(AdminBootstrapService).ensureAdmin();
    sessions.root = await login('root', ADMIN_PASSWORD);
    for (const [username, role] of [
      ['admin2', 'admin'],
      ['operator', 'operator'],
      ['viewer', 'viewer'],
    ] as const) {
      await post('root', '/api/users', { username, password: USER_PASSWORD, role }).expect(201);
      sessions[username] = await login(username, USER_PASSWORD);
    }
  }

  /** Closes the app and starts another on the same database with `overrides` in its configuration. */
  async function restart(overrides: Record<string, string>): Promise<void> {
    await started().close();
    app = await startApp(overrides);
  }

  async function close(): Promise<void> {
    await app?.close();
    if (container && !dockerSkip) await docker.getContainer(containerName).remove({ force: true });
    rmSync(base, { recursive: true, force: true });
  }

  return {
    workspace,
    pusher,
    containerName,
    get app() {
      return started();
    },
    get dataSource() {
      return started().get(DataSource);
    },
    get dockerSkip() {
      return dockerSkip;
    },
    get,
    post,
    runs,
    auditOf,
    requestApproval,
    start,
    restart,
    close,
  };
}
