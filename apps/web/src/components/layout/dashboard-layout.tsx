import type { Role } from '@aegis/contracts';
import type { ReactNode } from 'react';
import { roleLabel } from '../../lib/role-label';
import { AegisMark } from './aegis-mark';
import './dashboard-layout.css';

const UPCOMING_SECTIONS = ['Chat', 'Approvals', 'Audit', 'Providers', 'Docker'] as const;

export interface DashboardLayoutProps {
  username: string;
  role: Role;
  children: ReactNode;
}

export function DashboardLayout({ username, role, children }: DashboardLayoutProps) {
  return (
    <div className="dashboard">
      <header className="dashboard__header">
        <div className="dashboard__brand">
          <AegisMark />
          <span className="dashboard__brand-name">Aegis</span>
        </div>
        <div className="dashboard__user">
          <span className="visually-hidden">Signed in as</span>
          <span className="dashboard__username">{username}</span>
          <span className="dashboard__role">{roleLabel(role)}</span>
        </div>
      </header>
      <nav className="dashboard__sidebar" aria-label="Sections">
        <ul>
          <li>
            <span className="dashboard__nav-item dashboard__nav-item--current" aria-current="page">
              Overview
            </span>
          </li>
          {UPCOMING_SECTIONS.map((section) => (
            <li key={section}>
              <span className="dashboard__nav-item dashboard__nav-item--upcoming" aria-disabled="true">
                {section}
                <span className="dashboard__soon">coming soon</span>
              </span>
            </li>
          ))}
        </ul>
      </nav>
      <main className="dashboard__main">{children}</main>
    </div>
  );
}
