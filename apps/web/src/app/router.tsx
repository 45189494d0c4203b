import { createRootRouteWithContext, createRoute, createRouter, notFound, Outlet, RouterProvider } from '@tanstack/react-router';
import { useMemo } from 'react';
import { WorkspaceLayout, type NavLinkItem } from '../components/layout/workspace-layout';
import { Page } from '../components/layout/page';
import { ApiKeysPanel } from '../features/api-keys/components/api-keys-panel';
import type { SessionUser } from '../features/auth/api/get-me';
import { AccountPanel } from '../features/auth/components/account-panel';
import { SignOutButton } from '../features/auth/components/sign-out-button';
import { ChatLayout } from '../features/chat/components/chat-layout';
import { ChatThread } from '../features/chat/components/chat-thread';
import { HealthCard } from '../features/health/components/health-card';
import { MemoryPage } from '../features/memory/components/memory-page';
import { UsersPanel } from '../features/users/components/users-panel';
import { isUuid } from '../lib/uuid';
import { NotFoundView } from './views/not-found-view';

/** What every route may read: the signed-in user (the session gate renders the router only with one). */
export interface RouterContext {
  user: SessionUser;
}

function linksFor(user: SessionUser): NavLinkItem[] {
  return [
    { to: '/', label: 'Chat', matches: (pathname) => pathname === '/' || pathname.startsWith('/c/') },
    { to: '/memory', label: 'Memory' },
    { to: '/overview', label: 'Overview' },
    { to: '/keys', label: 'API keys' },
    ...(user.role === 'admin' ? [{ to: '/users', label: 'Users' } as const] : []),
    { to: '/account', label: 'Account' },
  ];
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: function Workspace() {
    const { user } = rootRoute.useRouteContext();
    return (
      <WorkspaceLayout username={user.username} role={user.role} links={linksFor(user)} actions={<SignOutButton />}>
        <Outlet />
      </WorkspaceLayout>
    );
  },
  notFoundComponent: () => <NotFoundView />,
});

/** Chat: the conversation column stays while the thread beside it changes. */
const chatRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'chat',
  component: () => (
    <ChatLayout>
      <Outlet />
    </ChatLayout>
  ),
});

const newChatRoute = createRoute({
  getParentRoute: () => chatRoute,
  path: '/',
  component: () => <ChatThread conversationId={null} />,
});

const conversationRoute = createRoute({
  getParentRoute: () => chatRoute,
  path: '/c/$conversationId',
  // Not an id the API could have made: no request is sent for it.
  beforeLoad: ({ params }) => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the router's way to render notFoundComponent
    if (!isUuid(params.conversationId)) throw notFound();
  },
  component: function Conversation() {
    const { conversationId } = conversationRoute.useParams();
    return <ChatThread conversationId={conversationId.toLowerCase()} />;
  },
  notFoundComponent: () => <NotFoundView what="conversation" />,
});

const memoryRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/memory',
  component: () => (
    <Page title="Memory" lead="What the agent remembers about you across conversations. Add, find and delete items here.">
      <MemoryPage />
    </Page>
  ),
});

const overviewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/overview',
  component: function Overview() {
    const { user } = overviewRoute.useRouteContext();
    return (
      <Page title="Overview" lead={`Welcome, ${user.username}. The state of this Aegis server.`}>
        <HealthCard />
      </Page>
    );
  },
});

const keysRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/keys',
  component: function Keys() {
    const { user } = keysRoute.useRouteContext();
    return (
      <Page title="API keys" lead="Keys let scripts and other programs use Aegis on your behalf.">
        <ApiKeysPanel role={user.role} />
      </Page>
    );
  },
});

const usersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/users',
  component: function Users() {
    const { user } = usersRoute.useRouteContext();
    // A role can drop while the page is open (a session refresh brings the new one).
    if (user.role !== 'admin') return <NotFoundView />;
    return (
      <Page title="Users" lead="Create accounts, change roles, and disable accounts that should no longer sign in.">
        <UsersPanel currentUserId={user.id} />
      </Page>
    );
  },
});

const accountRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/account',
  component: function Account() {
    const { user } = accountRoute.useRouteContext();
    return (
      <Page title="Account" lead="Your sign-in details.">
        <AccountPanel user={user} />
      </Page>
    );
  },
});

const routeTree = rootRoute.addChildren([
  chatRoute.addChildren([newChatRoute, conversationRoute]),
  memoryRoute,
  overviewRoute,
  keysRoute,
  usersRoute,
  accountRoute,
]);

export function createAppRouter(user: SessionUser) {
  return createRouter({ routeTree, context: { user }, defaultPreload: false, scrollRestoration: true });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}

/** The signed-in app: one router per session; a renewed session with a new role updates its context. */
export function AppRouter({ user }: { user: SessionUser }) {
  const router = useMemo(() => createAppRouter(user), [user.id]); // eslint-disable-line react-hooks/exhaustive-deps
  return <RouterProvider router={router} context={{ user }} />;
}
