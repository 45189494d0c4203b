import { Link, useRouterState } from '@tanstack/react-router';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { roleLabel, type ApiRole } from '../../lib/roles';
import { AegisMark } from './aegis-mark';
import { ThemeSwitch } from './theme-switch';
import './workspace-layout.css';

export interface NavLinkItem {
  to:
    | '/'
    | '/memory'
    | '/approvals'
    | '/audit'
    | '/docker'
    | '/providers'
    | '/tools'
    | '/actions'
    | '/system'
    | '/keys'
    | '/users'
    | '/account'
    | '/overview';
  label: string;
  /** Shown after the label, e.g. the live count of pending approvals. */
  badge?: ReactNode;
  /** Chat is current on `/` and on every `/c/…`. */
  matches?: (pathname: string) => boolean;
}

export interface WorkspaceLayoutProps {
  username: string;
  role: ApiRole;
  links: readonly NavLinkItem[];
  /** Shown at the right of the top bar, e.g. the sign-out button. */
  actions?: ReactNode;
  children: ReactNode;
}

/**
 * The signed-in frame: a slim top bar (brand, user, role, theme, sign out), the sections the role
 * may see, and the page. Below 48rem the sections become a drawer behind the "Menu" button.
 */
export function WorkspaceLayout({ username, role, links, actions, children }: WorkspaceLayoutProps) {
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  // The drawer is open for the page it was opened on: following a link in it closes it.
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const menuOpen = menuOpenOn === pathname;
  const setMenuOpen = (open: boolean) => setMenuOpenOn(open ? pathname : null);
  const sidebarId = useId();

  useEffect(() => {
    if (!menuOpen) return;
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setMenuOpenOn(null);
    };
    window.addEventListener('keydown', closeOnEscape);
    return () => window.removeEventListener('keydown', closeOnEscape);
  }, [menuOpen]);

  return (
    <div className={`workspace${menuOpen ? ' workspace--menu-open' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="workspace__header">
        <button
          type="button"
          className="button button--small workspace__menu-button"
          aria-expanded={menuOpen}
          aria-controls={sidebarId}
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <Link to="/" className="workspace__brand" aria-label="Aegis, new chat">
          <AegisMark />
          <span className="workspace__brand-name">Aegis</span>
        </Link>
        <div className="workspace__user">
          <span className="visually-hidden">Signed in as</span>
          <span className="workspace__username">{username}</span>
          <span className="workspace__role">{roleLabel(role)}</span>
          <ThemeSwitch />
          {actions}
        </div>
      </header>
      <nav id={sidebarId} className="workspace__sidebar" aria-label="Sections">
        {/* On phones the top bar has no room for the user: the drawer says who is signed in. */}
        <p className="workspace__drawer-user">
          Signed in as <strong>{username}</strong> ({roleLabel(role)})
        </p>
        <ul>
          {links.map((link) => {
            const current = link.matches ? link.matches(pathname) : pathname === link.to;
            return (
              <li key={link.to}>
                <Link
                  to={link.to}
                  className={`workspace__nav-item${current ? ' workspace__nav-item--current' : ''}`}
                  aria-current={current ? 'page' : undefined}
                  activeOptions={{ exact: true }}
                >
                  {link.label}
                  {link.badge}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {menuOpen && <button type="button" className="workspace__backdrop" aria-label="Close menu" onClick={() => setMenuOpen(false)} />}
      <main id="main" className="workspace__main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
