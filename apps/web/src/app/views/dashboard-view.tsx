import { ErrorBoundary } from '../../components/errors/error-boundary';
import { DashboardLayout } from '../../components/layout/dashboard-layout';
import type { SessionUser } from '../../features/auth/api/session-user';
import { HealthCard } from '../../features/health/components/health-card';

export function DashboardView({ user }: { user: SessionUser }) {
  return (
    <DashboardLayout username={user.username} role={user.role}>
      <div className="dashboard-view__intro">
        <h1>Overview</h1>
        <p>Welcome, {user.username}. Chat, approvals, audit, providers and Docker arrive here as they are built.</p>
      </div>
      <ErrorBoundary label="The health card">
        <HealthCard />
      </ErrorBoundary>
    </DashboardLayout>
  );
}
