import { createServer, connect, type Server, type Socket } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { startFakeLlmServer, type FakeLlmServer } from '@aegis/testing';
import { test as base, expect, type APIRequest, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { collectBrowserErrors, watchCspViolations, type ExpectedFailures } from '../browser-errors';
import { E2E_ADMIN } from '../e2e-admin';
import { FAKE_LLM_PORT } from './e2e-env';

export interface E2eUser {
  username: string;
  password: string;
}

export interface E2eAccounts {
  /** Chats in the tests: an operator may ask for CRITICAL actions, which wait for an admin. */
  operator: E2eUser;
  /** A second admin, who decides approvals (four eyes: never the requester). */
  approver: E2eUser;
}

/** Another signed-in user acting through the API from its own browser context, like a second person. */
export interface SecondUser {
  context: BrowserContext;
  api: ApiSession;
}

const PASSWORD = 'e2e passphrase for the chat flows';

/** Forwards a fixed loopback port to the fake LLM server's random one: the API was started pointing at the fixed one. */
async function relay(fromPort: number, toPort: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((incoming) => {
    const outgoing = connect(toPort, '127.0.0.1');
    sockets.add(incoming).add(outgoing);
    incoming.pipe(outgoing).pipe(incoming);
    const close = () => {
      for (const socket of [incoming, outgoing]) {
        socket.destroy();
        sockets.delete(socket);
      }
    };
    incoming.on('error', close).on('close', close);
    outgoing.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${fromPort} is taken: only one e2e run at a time (the server is pointed at this port)`)
          : error,
      ),
    );
    server.listen(fromPort, '127.0.0.1', resolve);
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A request context's session: cookies are the browser's, unsafe methods echo the CSRF cookie. */
export class ApiSession {
  constructor(
    readonly request: APIRequestContext,
    private readonly csrf: () => Promise<string>,
  ) {}

  static async signIn(
    request: APIRequestContext,
    user: E2eUser,
    cookies: () => Promise<{ name: string; value: string }[]>,
  ): Promise<ApiSession> {
    const response = await request.post('/api/auth/login', { data: { username: user.username, password: user.password } });
    expect(response.status(), `sign in as ${user.username}`).toBe(200);
    return new ApiSession(request, async () => (await cookies()).find((cookie) => cookie.name === 'csrf_token')?.value ?? '');
  }

  async get<T>(path: string): Promise<T> {
    const response = await this.request.get(path);
    expect(response.status(), `GET ${path}: ${await response.text()}`).toBe(200);
    return (await response.json()) as T;
  }

  async post<T>(path: string, data: object, status = [200, 201]): Promise<T> {
    const response = await this.request.post(path, { data, headers: { 'X-CSRF-Token': await this.csrf() } });
    expect(status, `POST ${path} answered ${response.status()}: ${await response.text()}`).toContain(response.status());
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** Signs a browser context in through the API (its cookies are the context's); returns the session. */
export async function signInContext(context: BrowserContext, user: E2eUser): Promise<ApiSession> {
  return ApiSession.signIn(context.request, user, () => context.cookies());
}

async function signedInCookies(factory: APIRequest, baseURL: string | undefined, user: E2eUser): Promise<Cookies> {
  const request = await factory.newContext({ baseURL });
  await ApiSession.signIn(request, user, async () => (await request.storageState()).cookies);
  const { cookies } = await request.storageState();
  await request.dispose();
  return cookies;
}

/** Gives a context a session's cookies; its API requests then act as that user. */
async function withCookies(context: BrowserContext, cookies: Cookies): Promise<ApiSession> {
  await context.addCookies(cookies);
  return new ApiSession(context.request, async () => (await context.cookies()).find((cookie) => cookie.name === 'csrf_token')?.value ?? '');
}

/** At 390 px the sections and the conversation list sit in drawers. */
export function isPhone(page: Page): boolean {
  return (page.viewportSize()?.width ?? 1440) < 768;
}

/** Follows a section link of the sidebar, opening the phone drawer first when there is one. */
export async function openSection(page: Page, label: string): Promise<void> {
  if (isPhone(page)) await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: label, exact: true }).click();
}

/** Axe finds no serious or critical violation on the page as it is now. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .map((node) => node.target.join(' '))
          .slice(0, 5)
          .join(', ')}`,
    );
  expect(serious, `axe on ${label}`).toEqual([]);
}

/**
 * Axe in light and in dark (the system preference the app follows). Colours do not change with
 * the width, so at 390 px, where the layout is what differs, one theme (dark) keeps the run short.
 */
export async function expectAccessibleInThemes(page: Page, label: string): Promise<void> {
  for (const colorScheme of isPhone(page) ? (['dark'] as const) : (['light', 'dark'] as const)) {
    await page.emulateMedia({ colorScheme });
    await expectAccessible(page, `${label} (${colorScheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

type Cookies = Awaited<ReturnType<BrowserContext['cookies']>>;

interface WorkerFixtures {
  fakeLlm: FakeLlmServer;
  accounts: E2eAccounts;
  /**
   * One sign-in per worker and user, its cookies given to each test's context: signing in costs a
   * password hash, and a session lives 15 minutes, refreshed only after a 401, far longer than a run.
   */
  operatorCookies: Cookies;
  adminCookies: Cookies;
}

interface TestFixtures {
  /** Responses the test causes on purpose (path → statuses); set with test.use or before the page loads. */
  expectedFailures: ExpectedFailures;
  /** Console errors, page errors and CSP violations of `page`; checked empty after every test. */
  browserErrors: string[];
  /** `page`, signed in as the operator (through the API: the sign-in form has its own test). */
  operatorPage: Page;
  operatorApi: ApiSession;
  /** The context signed in as the e2e admin (the first one). */
  adminApi: ApiSession;
  /** The second admin in a browser context of their own. */
  approver: SecondUser;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  fakeLlm: [
    // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature
    async ({}, use) => {
      const fake = await startFakeLlmServer();
      const forwarder = await relay(FAKE_LLM_PORT, Number(new URL(fake.origin).port));
      await use(fake);
      await forwarder.close();
      await fake.close();
    },
    { scope: 'worker' },
  ],

  accounts: [
    async ({ playwright }, use, workerInfo) => {
      const project = workerInfo.project.name;
      const accounts: E2eAccounts = {
        operator: { username: `chat-${project}`, password: PASSWORD },
        approver: { username: `admin2-${project}`, password: PASSWORD },
      };
      const request = await playwright.request.newContext({ baseURL: workerInfo.project.use.baseURL });
      const root = await ApiSession.signIn(request, E2E_ADMIN, async () => (await request.storageState()).cookies);
      // 409: a worker restarted after a failure finds them made.
      await root.post('/api/users', { ...accounts.operator, role: 'operator' }, [201, 409]);
      await root.post('/api/users', { ...accounts.approver, role: 'admin' }, [201, 409]);
      await request.dispose();
      await use(accounts);
    },
    { scope: 'worker' },
  ],

  operatorCookies: [
    async ({ playwright, accounts }, use, workerInfo) => {
      await use(await signedInCookies(playwright.request, workerInfo.project.use.baseURL, accounts.operator));
    },
    { scope: 'worker' },
  ],

  adminCookies: [
    async ({ playwright }, use, workerInfo) => {
      await use(await signedInCookies(playwright.request, workerInfo.project.use.baseURL, E2E_ADMIN));
    },
    { scope: 'worker' },
  ],

  expectedFailures: [{}, { option: true }],

  browserErrors: [
    async ({ page, expectedFailures }, use) => {
      await watchCspViolations(page);
      const errors = collectBrowserErrors(page, expectedFailures);
      await use(errors);
      expect(errors, 'console errors, page errors and CSP violations').toEqual([]);
    },
    { auto: true },
  ],

  operatorApi: async ({ context, operatorCookies }, use) => {
    await use(await withCookies(context, operatorCookies));
  },

  adminApi: async ({ context, adminCookies }, use) => {
    await use(await withCookies(context, adminCookies));
  },

  operatorPage: async ({ page, operatorApi, fakeLlm }, use) => {
    void operatorApi;
    fakeLlm.reset();
    await page.goto('/');
    await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
    await use(page);
  },

  approver: async ({ browser, accounts }, use) => {
    const context = await browser.newContext();
    const api = await signInContext(context, accounts.approver);
    await use({ context, api });
    await context.close();
  },
});

export { expect };
