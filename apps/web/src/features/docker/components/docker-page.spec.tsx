import type { ApiComponents, ApprovalDecidedEvent } from '@aegis/contracts';
import { QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRouteWithContext, createRoute, createRouter, Outlet, RouterProvider } from '@tanstack/react-router';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '../../../lib/session-events';
import { calls, fakeApi, jsonResponse, type FakeRoute } from '../../../testing/fake-api';
import { createTestQueryClient } from '../../../testing/render';
import type { ApprovalEventSource } from '../hooks/use-restart-outcomes';
import { FakeEventSource } from '../testing/fake-event-source';
import { validateDockerSearch } from '../search';
import { DockerPage } from './docker-page';

type Schemas = ApiComponents['schemas'];

const web: Schemas['ContainerDto'] = {
  id: '4f2a9c1b7d3e',
  name: 'web',
  image: 'nginx:1.27',
  state: 'running',
  status: 'Up 3 hours (healthy)',
  createdAt: '2026-11-29T08:00:00Z',
  startedAt: '2026-11-29T09:00:00Z',
  uptimeSeconds: 3 * 3600 + 12 * 60,
  health: 'healthy',
  restartCount: 0,
};
const worker: Schemas['ContainerDto'] = {
  ...web,
  id: '9b8c7d6e5f4a',
  name: 'worker',
  image: 'worker:latest',
  state: 'exited',
  status: 'Exited (1) 5 minutes ago',
  uptimeSeconds: null,
  health: 'none',
  restartCount: 2,
};

function restartTool(policy: Partial<Schemas['ToolPolicyDto']> = {}, actionClass: Schemas['ActionClass'] = 'MODERATE') {
  return {
    role: 'operator',
    items: [
      {
        name: 'docker_restart',
        actionClass,
        minRole: 'operator',
        description: 'Restarts an allowlisted container',
        argsSchema: {},
        classifiedPerCall: false,
        policy: {
          allowed: true,
          approvalRequired: false,
          decision: 'allow',
          justificationRequired: false,
          summary: 'Runs at once',
          ...policy,
        },
      },
    ],
  };
}

/** The one socket connection, played by the test: it delivers `approval:decided` when told. */
function fakeApprovalEvents() {
  const handlers = new Set<(event: ApprovalDecidedEvent) => void>();
  const source = {
    start: vi.fn(),
    on: ((name: string, handler: (event: ApprovalDecidedEvent) => void) => {
      if (name === 'approval:decided') handlers.add(handler);
      return () => handlers.delete(handler);
    }) as ApprovalEventSource['on'],
  };
  return {
    source,
    listeners: () => handlers.size,
    decide: (event: ApprovalDecidedEvent) =>
      act(() => {
        for (const handler of [...handlers]) handler(event);
      }),
  };
}

function renderDockerPage({
  path = '/docker',
  role = 'operator',
  approvalEvents = fakeApprovalEvents().source,
}: { path?: string; role?: SessionUser['role']; approvalEvents?: ApprovalEventSource } = {}) {
  vi.stubGlobal('scrollTo', () => undefined);
  const user: SessionUser = { id: 'u1', username: role === 'admin' ? 'ada' : 'otto', role };
  const rootRoute = createRootRouteWithContext<{ user: SessionUser }>()({ component: () => <Outlet /> });
  const dockerRoute = createRoute({
    getParentRoute: () => rootRoute,
    path: '/docker',
    validateSearch: validateDockerSearch,
    component: () => <DockerPage approvalEvents={approvalEvents} />,
  });
  const router = createRouter({
    routeTree: rootRoute.addChildren([dockerRoute]),
    history: createMemoryHistory({ initialEntries: [path] }),
    context: { user },
  });
  render(
    <QueryClientProvider client={createTestQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { router };
}

const status =
  (containers: Schemas['ContainerDto'][]): FakeRoute =>
  () =>
    jsonResponse(200, { available: true, containers });
const logs =
  (text: string): FakeRoute =>
  () =>
    jsonResponse(200, { container: 'web', id: web.id, logs: text, truncated: false });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('DockerPage: containers', () => {
  it('lists the allowlisted containers with state and health in words, image, uptime and restarts', async () => {
    fakeApi({ 'GET /api/docker/status': status([web, worker]), 'GET /api/tools': () => jsonResponse(200, restartTool()) });
    renderDockerPage();

    const table = await screen.findByRole('table', { name: 'Containers Aegis may see' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByRole('link', { name: 'Logs of web' })).toBeTruthy();
    expect(rows[0].textContent).toContain('nginx:1.27');
    expect(rows[0].textContent).toContain('Running');
    expect(rows[0].textContent).toContain('3 h 12 min');
    expect(rows[0].textContent).toContain('Healthy');
    expect(rows[1].textContent).toContain('Exited');
    expect(rows[1].textContent).toContain('No health check');
    expect(rows[1].textContent).toContain('—');
    // Each state carries an icon and a word, never colour alone.
    const state = rows[0].querySelector('[data-container-status="state"]');
    expect(state?.querySelector('svg[aria-hidden="true"]')).toBeTruthy();
    expect(state?.textContent).toBe('Running');
    expect(screen.getByText('Choose a container to read its logs and restart it.')).toBeTruthy();
  });

  it('says why Docker is not available in the server’s words, and what an admin can do', async () => {
    const reason =
      'Docker is not reachable: /var/run/docker.sock does not exist; is Docker installed and running, and is DOCKER_SOCKET right?';
    const requests = fakeApi({
      'GET /api/docker/status': () => jsonResponse(200, { available: false, containers: [], reason }),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
    });
    renderDockerPage({ role: 'admin' });

    const panel = await screen.findByRole('region', { name: 'Docker is not available' });
    expect(within(panel).getByText(reason)).toBeTruthy();
    expect(panel.textContent).toContain('DOCKER_CONTAINER_ALLOWLIST');
    expect(screen.queryByRole('table')).toBeNull();

    fireEvent.click(within(panel).getByRole('button', { name: 'Check again' }));
    await vi.waitFor(() => expect(calls(requests).filter((call) => call === 'GET /api/docker/status')).toHaveLength(2));
  });

  it('tells an operator to ask an admin when Docker is not available', async () => {
    fakeApi({
      'GET /api/docker/status': () =>
        jsonResponse(200, { available: false, containers: [], reason: 'DOCKER_CONTAINER_ALLOWLIST is empty' }),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
    });
    renderDockerPage({ role: 'operator' });

    const panel = await screen.findByRole('region', { name: 'Docker is not available' });
    expect(within(panel).getByText('DOCKER_CONTAINER_ALLOWLIST is empty')).toBeTruthy();
    expect(panel.textContent).toContain('Ask an admin');
  });

  it('opens a container’s logs from the list, keeping it in the URL', async () => {
    fakeApi({
      'GET /api/docker/status': status([web, worker]),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
      'GET /api/docker/containers/web/logs': logs('\u001b[32mstarted\u001b[0m\nGET /health 200\n'),
    });
    const { router } = renderDockerPage();

    fireEvent.click(await screen.findByRole('link', { name: 'Logs of web' }));
    expect(router.state.location.search).toEqual({ container: 'web' });
    const box = await screen.findByRole('region', { name: 'Log lines of web' });
    await vi.waitFor(() => expect(box.textContent).toBe('startedGET /health 200'));
    expect(screen.getByRole('link', { name: 'Download logs' }).getAttribute('href')).toBe(
      '/api/docker/containers/web/logs?tail=100&download=1',
    );
  });
});

describe('DockerPage: logs', () => {
  it('reads the tail in the URL, and filters and marks the lines containing the search', async () => {
    const requests = fakeApi({
      'GET /api/docker/status': status([web]),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
      'GET /api/docker/containers/web/logs': logs('ready\nERROR disk full\nGET /health 200\nerror again\n'),
    });
    const { router } = renderDockerPage({ path: '/docker?container=web&tail=500' });

    const box = await screen.findByRole('region', { name: 'Log lines of web' });
    await vi.waitFor(() => expect(box.querySelectorAll('.log-line')).toHaveLength(4));
    const logRequest = requests.find((request) => new URL(request.url).pathname === '/api/docker/containers/web/logs');
    expect(new URL(logRequest?.url ?? '').searchParams.get('tail')).toBe('500');
    expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Lines' }).value).toBe('500');

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search logs' }), { target: { value: 'error' } });
    expect([...box.querySelectorAll('.log-line')].map((line) => line.textContent)).toEqual(['ERROR disk full', 'error again']);
    expect([...box.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['ERROR', 'error']);
    expect(screen.getByText('2 of 4 lines contain “error”')).toBeTruthy();
    await vi.waitFor(() => expect(router.state.location.search).toEqual({ container: 'web', tail: 500, q: 'error' }));
    expect(screen.getByRole('link', { name: 'Download logs' }).getAttribute('href')).toBe(
      '/api/docker/containers/web/logs?tail=500&download=1&search=error',
    );
  });

  it('follows the log live, filtering new lines by the search, and closes the stream when another container is opened', async () => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    fakeApi({
      'GET /api/docker/status': status([web, worker]),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
      'GET /api/docker/containers/web/logs': logs('ready\n'),
      'GET /api/docker/containers/worker/logs': logs('worker line\n'),
    });
    const { router } = renderDockerPage({ path: '/docker?container=web&q=warn' });

    const follow = await screen.findByRole('button', { name: 'Follow' });
    expect(follow.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(follow);
    expect(follow.getAttribute('aria-pressed')).toBe('true');
    const source = FakeEventSource.latest();
    expect(source.url).toBe('/api/docker/containers/web/logs/stream?tail=100');
    source.emit('open', { maxDurationSeconds: 1800 });
    source.emit('lines', { lines: ['tick 1', 'warn 1', 'tick 2'] });
    expect(screen.getByText('Following — live').getAttribute('role')).toBe('status');
    const box = screen.getByRole('region', { name: 'Log lines of web' });
    expect([...box.querySelectorAll('.log-line')].map((line) => line.textContent)).toEqual(['warn 1']);
    expect(screen.getByText('1 of 3 lines contain “warn”')).toBeTruthy();

    fireEvent.click(screen.getByRole('link', { name: 'Logs of worker' }));
    await vi.waitFor(() => expect(router.state.location.search).toMatchObject({ container: 'worker' }));
    await vi.waitFor(() => expect(source.closed).toBe(true));
    expect(screen.getByRole('region', { name: 'Log lines of worker' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('false');
  });

  it('says which container the URL names when none is called that', async () => {
    fakeApi({ 'GET /api/docker/status': status([web]), 'GET /api/tools': () => jsonResponse(200, restartTool()) });
    renderDockerPage({ path: '/docker?container=gone' });
    expect(await screen.findByText('No allowlisted container is called “gone”. Pick one from the list.')).toBeTruthy();
  });
});

describe('DockerPage: restart', () => {
  it('restarts at once when the policy allows it (200) and shows the verification', async () => {
    const requests = fakeApi({
      'GET /api/docker/status': status([web]),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
      'GET /api/docker/containers/web/logs': logs('ready\n'),
      'POST /api/docker/containers/web/restart': () =>
        jsonResponse(200, {
          actionId: '0b6f3f0e-1c1a-4c55-9d43-8d2b1c0a9e11',
          result: {
            actionClass: 'MODERATE',
            status: 'completed',
            output: { container: 'web', running: true },
            rollback: { available: false, reason: 'a restart cannot be undone' },
            verification: { verified: true, detail: 'the container is running again, started at 2026-11-29T12:00:01Z' },
          },
        }),
    });
    renderDockerPage({ path: '/docker?container=web' });

    fireEvent.click(await screen.findByRole('button', { name: 'Restart' }));
    const form = screen.getByRole('form', { name: 'Restart web' });
    expect(within(form).getByText('MODERATE')).toBeTruthy();
    expect(within(form).getByRole<HTMLTextAreaElement>('textbox', { name: 'Justification (optional)' }).required).toBe(false);
    fireEvent.click(within(form).getByRole('button', { name: 'Confirm restart' }));

    const outcome = await screen.findByText(/the container is running again/);
    expect(outcome.closest('[data-restart-outcome]')?.getAttribute('data-restart-outcome')).toBe('completed');
    expect(outcome.closest('[role="status"]')).toBeTruthy();
    const restart = requests.find((request) => request.method === 'POST');
    expect(await restart?.json()).toEqual({});
    // The list and the log are read again after the restart.
    await vi.waitFor(() => expect(calls(requests).filter((call) => call === 'GET /api/docker/status')).toHaveLength(2));
    await vi.waitFor(() => expect(calls(requests).filter((call) => call === 'GET /api/docker/containers/web/logs')).toHaveLength(2));
  });

  it('waits for an admin when the policy asks for approval (202), then resolves live when it is approved', async () => {
    const events = fakeApprovalEvents();
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const approvalId = '7c0a7c4e-4f5e-4d1c-9a44-3e4b1f2c9d10';
    const requests = fakeApi({
      'GET /api/docker/status': status([web]),
      'GET /api/tools': () =>
        jsonResponse(
          200,
          restartTool(
            { approvalRequired: true, justificationRequired: true, decision: 'approve', summary: "Waits for an admin's approval" },
            'CRITICAL',
          ),
        ),
      'GET /api/docker/containers/web/logs': logs('ready\n'),
      'POST /api/docker/containers/web/restart': () =>
        jsonResponse(202, { status: 'pending', approvalId, actionClass: 'CRITICAL', expiresAt }),
    });
    renderDockerPage({ path: '/docker?container=web', approvalEvents: events.source });

    fireEvent.click(await screen.findByRole('button', { name: 'Restart' }));
    const form = screen.getByRole('form', { name: 'Restart web' });
    const justification = within(form).getByRole<HTMLTextAreaElement>('textbox', { name: 'Justification' });
    expect(justification.required).toBe(true);
    fireEvent.change(justification, { target: { value: 'The web container stopped answering health checks' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Request restart' }));

    const waiting = await screen.findByText('Waiting for approval by an admin');
    expect(waiting.closest('[data-restart-outcome]')?.getAttribute('data-restart-outcome')).toBe('pending');
    expect(screen.getByText(/^expires in/)).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Restart' }).disabled).toBe(true);
    expect(events.source.start).toHaveBeenCalled();
    expect(await requests.find((request) => request.method === 'POST')?.json()).toEqual({
      justification: 'The web container stopped answering health checks',
    });

    // Someone else's decision changes nothing here.
    events.decide({
      approvalId: 'other',
      tool: 'docker_restart',
      status: 'approved',
      decidedBy: null,
      comment: null,
      actionId: null,
      actionStatus: null,
      requestedByUserId: 'u2',
      runId: null,
      toolCallId: null,
    });
    expect(screen.getByText('Waiting for approval by an admin')).toBeTruthy();

    events.decide({
      approvalId,
      tool: 'docker_restart',
      status: 'approved',
      decidedBy: { id: 'a1', name: 'ada' },
      comment: null,
      actionId: '0b6f3f0e-1c1a-4c55-9d43-8d2b1c0a9e11',
      actionStatus: 'completed',
      requestedByUserId: 'u1',
      runId: null,
      toolCallId: null,
    });
    const done = await screen.findByText(/approved by ada and done/);
    expect(done.closest('[data-restart-outcome]')?.getAttribute('data-restart-outcome')).toBe('approved');
    // Nothing waits any more, so nothing listens.
    expect(events.listeners()).toBe(0);
    await vi.waitFor(() => expect(calls(requests).filter((call) => call === 'GET /api/docker/status')).toHaveLength(2));
  });

  it('shows a rejection with the admin’s reason', async () => {
    const events = fakeApprovalEvents();
    const approvalId = '7c0a7c4e-4f5e-4d1c-9a44-3e4b1f2c9d11';
    fakeApi({
      'GET /api/docker/status': status([web]),
      'GET /api/tools': () =>
        jsonResponse(200, restartTool({ approvalRequired: true, justificationRequired: true, decision: 'approve' }, 'CRITICAL')),
      'GET /api/docker/containers/web/logs': logs('ready\n'),
      'POST /api/docker/containers/web/restart': () =>
        jsonResponse(202, {
          status: 'pending',
          approvalId,
          actionClass: 'CRITICAL',
          expiresAt: new Date(Date.now() + 60_000).toISOString(),
        }),
    });
    renderDockerPage({ path: '/docker?container=web', approvalEvents: events.source });

    fireEvent.click(await screen.findByRole('button', { name: 'Restart' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Justification' }), {
      target: { value: 'The web container stopped answering health checks' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Request restart' }));
    await screen.findByText('Waiting for approval by an admin');

    events.decide({
      approvalId,
      tool: 'docker_restart',
      status: 'rejected',
      decidedBy: { id: 'a1', name: 'ada' },
      comment: 'Deploy in progress, wait ten minutes',
      actionId: null,
      actionStatus: null,
      requestedByUserId: 'u1',
      runId: null,
      toolCallId: null,
    });
    const rejected = await screen.findByText('by ada: Deploy in progress, wait ten minutes');
    expect(rejected.closest('[data-restart-outcome]')?.getAttribute('data-restart-outcome')).toBe('rejected');
  });

  it('shows the server’s refusal where the restart was asked', async () => {
    fakeApi({
      'GET /api/docker/status': status([web]),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
      'GET /api/docker/containers/web/logs': logs('ready\n'),
      'POST /api/docker/containers/web/restart': () =>
        jsonResponse(403, {
          statusCode: 403,
          code: 'FORBIDDEN',
          message: "container 'web' is not on the container allowlist",
          requestId: 'req-9',
        }),
    });
    renderDockerPage({ path: '/docker?container=web' });

    fireEvent.click(await screen.findByRole('button', { name: 'Restart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm restart' }));
    expect((await screen.findByRole('alert')).textContent).toBe("Could not restart web: container 'web' is not on the container allowlist");
    expect(screen.getByText('Request id: req-9')).toBeTruthy();
  });
});
