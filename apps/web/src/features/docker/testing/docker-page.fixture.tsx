import type { ApiComponents, ApprovalDecidedEvent } from '@aegis/contracts';
import { QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRouteWithContext, createRoute, createRouter, Outlet, RouterProvider } from '@tanstack/react-router';
import { act, render } from '@testing-library/react';
import { vi } from 'vitest';
import type { SessionUser } from '../../../lib/session-events';
import { jsonResponse, type FakeRoute } from '../../../testing/fake-api';
import { createTestQueryClient } from '../../../testing/render';
import { DockerPage } from '../components/docker-page';
import type { ApprovalEventSource } from '../hooks/use-restart-outcomes';
import { validateDockerSearch } from '../search';

// What the DockerPage specs share: two containers, the restart tool's policy, the approval events socket played by
// the test, the page rendered under a router, and the status and logs answers of the fake API.
// (vite.config.mts sets unstubGlobals, so the scrollTo stub goes after each test.)

type Schemas = ApiComponents['schemas'];

export const web: Schemas['ContainerDto'] = {
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
export const worker: Schemas['ContainerDto'] = {
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

export function restartTool(policy: Partial<Schemas['ToolPolicyDto']> = {}, actionClass: Schemas['ActionClass'] = 'MODERATE') {
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
export function fakeApprovalEvents() {
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

export function renderDockerPage({
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

export const status =
  (containers: Schemas['ContainerDto'][]): FakeRoute =>
  () =>
    jsonResponse(200, { available: true, containers });
export const logs =
  (text: string): FakeRoute =>
  () =>
    jsonResponse(200, { container: 'web', id: web.id, logs: text, truncated: false });
