import type { ReactNode } from 'react';
import { roleLabel, type ApiRole } from '../../lib/roles';
import { AegisMark } from './aegis-mark';
import './dashboard-layout.css';

const UPCOMING_SECTIONS = ['Chat', 'Approvals', 'Audit', 'Providers', 'Docker'] as const;

export interface NavSection<Id extends string> {
  id: Id;
  label: string;
}

export interface DashboardLayoutProps<Id extends string> {
  username: string;
  role: ApiRole;
  sections: readonly NavSection<Id>[];
  current: Id;
  onNavigate: (id: Id) => void;
  /** Shown at the right of the header, e.g. the sign-out button. */
  actions?: ReactNode;
  children: ReactNode;
}

export function DashboardLayout<Id extends string>({ username, role, sections, current, onNavigate, actions, children }: DashboardLayoutProps<Id>) {
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
          {actions}
        </div>
      </header>
      <nav className="dashboard__sidebar" aria-label="Sections">
        <ul>
          {sections.map((section) => (
            <li key={section.id}>
              <button
                type="button"
                className={`dashboard__nav-item${section.id === current ? ' dashboard__nav-item--current' : ''}`}
                aria-current={section.id === current ? 'page' : undefined}
                onClick={() => onNavigate(section.id)}
              >
                {section.label}
              </button>
            </li>
          ))}
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
