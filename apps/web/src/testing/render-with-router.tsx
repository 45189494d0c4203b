import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, Outlet, RouterProvider } from '@tanstack/react-router';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { createTestQueryClient } from './render';

/** The app's paths a component under test may link to; each renders nothing of its own. */
const PATHS = ['/', '/c/$conversationId', '/memory', '/overview', '/keys', '/users', '/account'] as const;

export interface RenderWithRouterOptions {
  /** Where the history starts, e.g. "/c/<uuid>". */
  path?: string;
  queryClient?: QueryClient;
}

/**
 * Renders `ui` on every page of a memory-history router with the app's paths, so Links,
 * useParams and useNavigate work; `router.state.location` tells where a test ended up.
 */
export function renderWithRouter(ui: ReactElement, { path = '/', queryClient = createTestQueryClient() }: RenderWithRouterOptions = {}) {
  // jsdom has no scrolling; the router scrolls to the top after each navigation.
  vi.stubGlobal('scrollTo', () => undefined);
  const rootRoute = createRootRoute({
    component: () => (
      <>
        {ui}
        <Outlet />
      </>
    ),
  });
  const pages = PATHS.map((pagePath) => createRoute({ getParentRoute: () => rootRoute, path: pagePath, component: () => null }));
  const router = createRouter({ routeTree: rootRoute.addChildren(pages), history: createMemoryHistory({ initialEntries: [path] }) });
  const result: RenderResult = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...result, router, queryClient };
}
