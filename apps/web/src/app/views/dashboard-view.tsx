import { useState } from 'react';
import { ErrorBoundary } from '../../components/errors/error-boundary';
import { DashboardLayout, type NavSection } from '../../components/layout/dashboard-layout';
import { ApiKeysPanel } from '../../features/api-keys/components/api-keys-panel';
import type { SessionUser } from '../../features/auth/api/get-me';
import { AccountPanel } from '../../features/auth/components/account-panel';
import { SignOutButton } from '../../features/auth/components/sign-out-button';
import { HealthCard } from '../../features/health/components/health-card';
import { UsersPanel } from '../../features/users/components/users-panel';

type SectionId = 'overview' | 'api-keys' | 'users' | 'account';

function sectionsFor(user: SessionUser): NavSection<SectionId>[] {
  return [
    { id: 'overview', label: 'Overview' },
    { id: 'api-keys', label: 'API keys' },
    ...(user.role === 'admin' ? [{ id: 'users', label: 'Users' } as const] : []),
    { id: 'account', label: 'Account' },
  ];
}

const INTROS: Record<SectionId, { title: string; lead: (user: SessionUser) => string }> = {
  overview: {
    title: 'Overview',
    lead: (user) => `Welcome, ${user.username}. Chat, approvals, audit, providers and Docker arrive here as they are built.`,
  },
  'api-keys': { title: 'API keys', lead: () => 'Keys let scripts and other programs use Aegis on your behalf.' },
  users: { title: 'Users', lead: () => 'Create accounts, change roles, and disable accounts that should no longer sign in.' },
  account: { title: 'Account', lead: () => 'Your sign-in details.' },
};

/** The signed-in app; the sidebar switches sections in state (no router: there is nothing to deep-link to yet). */
export function DashboardView({ user }: { user: SessionUser }) {
  const [chosen, setChosen] = useState<SectionId>('overview');
  const sections = sectionsFor(user);
  // A role can drop while a section is open (the session refresh brings the new one): fall back to Overview.
  const current = sections.some((section) => section.id === chosen) ? chosen : 'overview';
  const intro = INTROS[current];

  return (
    <DashboardLayout username={user.username} role={user.role} sections={sections} current={current} onNavigate={setChosen} actions={<SignOutButton />}>
      <div className="section-intro">
        <h1>{intro.title}</h1>
        <p>{intro.lead(user)}</p>
      </div>
      <ErrorBoundary key={current} label={`The ${intro.title} section`}>
        <Section id={current} user={user} />
      </ErrorBoundary>
    </DashboardLayout>
  );
}

function Section({ id, user }: { id: SectionId; user: SessionUser }) {
  switch (id) {
    case 'overview':
      return <HealthCard />;
    case 'api-keys':
      return <ApiKeysPanel role={user.role} />;
    case 'users':
      return <UsersPanel currentUserId={user.id} />;
    case 'account':
      return <AccountPanel user={user} />;
  }
}
