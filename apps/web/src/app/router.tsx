import { createRootRouteWithContext, createRoute, createRouter, notFound, Outlet, RouterProvider } from '@tanstack/react-router';
import { useMemo, type ReactNode } from 'react';
import { WorkspaceLayout, type NavLinkItem } from '../components/layout/workspace-layout';
import { Page } from '../components/layout/page';
import { ApiKeysPanel } from '../features/api-keys/components/api-keys-panel';
import type { SessionUser } from '../features/auth/api/get-me';
import { AccountPanel } from '../features/auth/components/account-panel';
import { SignOutButton } from '../features/auth/components/sign-out-button';
import { ApprovalsBadge } from '../features/approvals/components/approvals-badge';
import { ApprovalsPage } from '../features/approvals/components/approvals-page';
import { validateApprovalsSearch } from '../features/approvals/search';
import { AuditPage } from '../features/audit/components/audit-page';
import { validateAuditSearch } from '../features/audit/search';
import { ChatLayout } from '../features/chat/components/chat-layout';
import { DockerPage } from '../features/docker/components/docker-page';
import { validateDockerSearch } from '../features/docker/search';
import { ChatThread } from '../features/chat/components/chat-thread';
import { HealthCard } from '../features/health/components/health-card';
import { MemoryPage } from '../features/memory/components/memory-page';
import { ProvidersPage } from '../features/providers/components/providers-page';
import { validateProvidersSearch } from '../features/providers/search';
import { SystemPage } from '../features/system/components/system-page';
import { ActionsPage } from '../features/tools/components/actions-page';
import { ToolsPage } from '../features/tools/components/tools-page';
import { validateActionsSearch, validateToolsSearch } from '../features/tools/search';
import { UsersPanel } from '../features/users/components/users-panel';
import { isUuid } from '@aegis/contracts';
import { NotFoundView } from './views/not-found-view';

/** What every route may read: the signed-in user (the session gate renders the router only with one). */
export interface RouterContext {
  user: SessionUser;
}

function linksFor(user: SessionUser): NavLinkItem[] {
  const admin = user.role === 'admin';
  const links: (NavLinkItem | false)[] = [
    { to: '/', label: 'Chat', matches: (pathname) => pathname === '/' || pathname.startsWith('/c/') },
    { to: '/memory', label: 'Memory' },
    admin && { to: '/approvals', label: 'Approvals', badge: <ApprovalsBadge /> },
    admin && { to: '/audit', label: 'Audit' },
    user.role !== 'viewer' && { to: '/docker', label: 'Docker' },
    admin && { to: '/providers', label: 'Providers' },
    { to: '/tools', label: 'Tools' },
    { to: '/actions', label: 'Actions' },
    admin && { to: '/system', label: 'System' },
    { to: '/overview', label: 'Overview' },
    { to: '/keys', label: 'API keys' },
    admin && { to: '/users', label: 'Users' },
    { to: '/account', label: 'Account' },
  ];
  return links.filter((link): link is NavLinkItem => link !== false);
}

/** A screen only some roles may open; the API refuses the others anyway. */
function Gate({ allowed, children }: { allowed: boolean; children: ReactNode }) {
  return allowed ? children : <NotFoundView />;
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

const approvalsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/approvals',
  validateSearch: validateApprovalsSearch,
  component: function Approvals() {
    const { user } = approvalsRoute.useRouteContext();
    return (
      <Gate allowed={user.role === 'admin'}>
        <Page title="Approvals" lead="CRITICAL actions wait here for an admin. Another admin decides on your own requests.">
          <ApprovalsPage />
        </Page>
      </Gate>
    );
  },
});

const auditRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/audit',
  validateSearch: validateAuditSearch,
  component: function Audit() {
    const { user } = auditRoute.useRouteContext();
    return (
      <Gate allowed={user.role === 'admin'}>
        <Page title="Audit" lead="Every action, decision and sign-in, in a hash chain anyone can verify.">
          <AuditPage />
        </Page>
      </Gate>
    );
  },
});

const dockerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/docker',
  validateSearch: validateDockerSearch,
  component: function Docker() {
    const { user } = dockerRoute.useRouteContext();
    return (
      <Gate allowed={user.role !== 'viewer'}>
        <Page title="Docker" lead="The containers Aegis may see: their state and logs, and a governed restart.">
          <DockerPage />
        </Page>
      </Gate>
    );
  },
});

const providersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/providers',
  validateSearch: validateProvidersSearch,
  component: function Providers() {
    const { user } = providersRoute.useRouteContext();
    return (
      <Gate allowed={user.role === 'admin'}>
        <Page title="Providers and costs" lead="Which models answer, how they are doing, and what they cost over time.">
          <ProvidersPage />
        </Page>
      </Gate>
    );
  },
});

const toolsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/tools',
  validateSearch: validateToolsSearch,
  component: () => (
    <Page title="Tools" lead="What the agent and you can run, the class of each, and a form to run one through governance.">
      <ToolsPage />
    </Page>
  ),
});

const actionsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/actions',
  validateSearch: validateActionsSearch,
  component: () => (
    <Page title="Actions" lead="What ran, who ran it, how it ended, and what can be undone.">
      <ActionsPage />
    </Page>
  ),
});

const systemRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/system',
  component: function System() {
    const { user } = systemRoute.useRouteContext();
    return (
      <Gate allowed={user.role === 'admin'}>
        <Page title="System" lead="How this server is configured (secrets masked), the sandbox, versions and the database.">
          <SystemPage />
        </Page>
      </Gate>
    );
  },
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
    return (
      <Gate allowed={user.role === 'admin'}>
        <Page title="Users" lead="Create accounts, change roles, and disable accounts that should no longer sign in.">
          <UsersPanel currentUserId={user.id} />
        </Page>
      </Gate>
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
  approvalsRoute,
  auditRoute,
  dockerRoute,
  providersRoute,
  toolsRoute,
  actionsRoute,
  systemRoute,
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
