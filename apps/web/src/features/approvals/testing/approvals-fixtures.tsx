import type { ServerEventName, ServerEventPayload } from '../../../lib/chat-socket';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, Outlet, RouterProvider } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { createTestQueryClient } from '../../../testing/render';
import type { Approval } from '../api/get-approvals';
import type { ApprovalEventSource } from '../hooks/use-approval-events';
import { validateApprovalsSearch } from '../search';

export const OPERATOR_ID = '0a0a0a0a-0000-4000-8000-0000000000f1';
export const CONVERSATION_ID = '7c3f2a1e-0000-4000-8000-00000000c0de';

/** An approval request as GET /api/approvals lists it; pending, asked by an operator in a chat. */
export function approval(index: number, extra: Partial<Approval> = {}): Approval {
  const created = Date.now() - index * 60_000;
  return {
    id: `5b1e9d2a-0000-4000-8000-${String(index).padStart(12, '0')}`,
    tool: 'apt_install',
    actionClass: 'CRITICAL',
    args: { packages: ['coreutils'] },
    argsSha256: 'a'.repeat(64),
    justification: 'The build needs coreutils',
    requestedBy: { type: 'user', id: OPERATOR_ID, name: 'olga', userId: OPERATOR_ID, role: 'operator' },
    runId: '9d9d9d9d-0000-4000-8000-000000000001',
    conversationId: CONVERSATION_ID,
    origin: 'chat',
    status: 'pending',
    createdAt: new Date(created).toISOString(),
    expiresAt: new Date(created + 3_600_000).toISOString(),
    decidedBy: null,
    decidedAt: null,
    comment: null,
    actionId: null,
    actionStatus: null,
    ...extra,
  };
}

/**
 * Renders `ui` in a memory router that has the approvals route (with its real search validator)
 * and the conversation route it links to; `router.state.location` tells where a test ended up.
 */
export function renderOnApprovals(
  ui: ReactElement,
  { path = '/approvals', queryClient = createTestQueryClient() }: { path?: string; queryClient?: QueryClient } = {},
) {
  vi.stubGlobal('scrollTo', () => undefined);
  const rootRoute = createRootRoute({ component: () => <Outlet /> });
  const approvalsRoute = createRoute({
    getParentRoute: () => rootRoute,
    path: '/approvals',
    validateSearch: validateApprovalsSearch,
    component: () => ui,
  });
  const conversationRoute = createRoute({ getParentRoute: () => rootRoute, path: '/c/$conversationId', component: () => null });
  const router = createRouter({
    routeTree: rootRoute.addChildren([approvalsRoute, conversationRoute]),
    history: createMemoryHistory({ initialEntries: [path] }),
  });
  const result = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...result, router, queryClient };
}

type Handler = (payload: unknown) => void;

/** A stand-in for the app's socket connection: tests play the server's events with `emit`. */
export class FakeApprovalSource implements ApprovalEventSource {
  readonly start = vi.fn();
  private readonly handlers = new Map<string, Set<Handler>>();

  on<Name extends ServerEventName>(name: Name, handler: (payload: ServerEventPayload<Name>) => void): () => void {
    const set = this.handlers.get(name) ?? new Set<Handler>();
    set.add(handler as Handler);
    this.handlers.set(name, set);
    return () => set.delete(handler as Handler);
  }

  emit<Name extends ServerEventName>(name: Name, payload: ServerEventPayload<Name>): void {
    for (const handler of [...(this.handlers.get(name) ?? [])]) handler(payload);
  }

  listeners(name: ServerEventName): number {
    return this.handlers.get(name)?.size ?? 0;
  }
}
