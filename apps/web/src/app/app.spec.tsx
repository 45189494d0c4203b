import { ErrorCode, Role } from '@aegis/contracts';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { calls, clearCsrfCookie, errorBody, fakeApi, jsonResponse, noContent, setCsrfCookie, type FakeRoute } from '../testing/fake-api';
import { createTestQueryClient } from '../testing/render';
import { App } from './app';

const admin = { id: '6a0d3c52-8f0e-4f5e-9d1a-0a4f3b2c1d00', username: 'ada', role: Role.Admin };
const operator = { id: '6a0d3c52-8f0e-4f5e-9d1a-0a4f3b2c1d01', username: 'otto', role: Role.Operator };
const healthy = () =>
  jsonResponse(200, { status: 'ok', info: { database: { status: 'up' } }, error: {}, details: { database: { status: 'up' } } });
const notSignedIn = () => jsonResponse(401, errorBody(401, ErrorCode.Unauthenticated, 'Sign in or present a valid API key'));
const noConversations = () => jsonResponse(200, { items: [], nextCursor: null });

function signedInAs(user: typeof admin, routes: Record<string, FakeRoute> = {}): Request[] {
  setCsrfCookie('csrf.session-1');
  return fakeApi({
    'GET /api/auth/me': () => jsonResponse(200, user),
    'GET /api/health': healthy,
    'GET /api/conversations': noConversations,
    ...routes,
  });
}

function sectionLink(name: string): HTMLElement {
  return within(screen.getByRole('navigation', { name: 'Sections' })).getByRole('link', { name });
}

/** The sections' labels in order (a link's first text; a live badge may follow it). */
function navItems(): string[] {
  return within(screen.getByRole('navigation', { name: 'Sections' }))
    .getAllByRole('link')
    .map((link) => link.firstChild?.textContent ?? '');
}

describe('App', () => {
  // The router reads the page's URL, and jsdom keeps it from one test to the next.
  beforeEach(() => {
    window.history.replaceState(null, '', '/');
    // jsdom has no scrolling; the router scrolls after each navigation.
    vi.stubGlobal('scrollTo', () => undefined);
  });

  it('shows the login page when there is no session, then a new chat after signing in', async () => {
    const requests = fakeApi({
      'GET /api/auth/me': notSignedIn,
      'POST /api/auth/login': () => {
        setCsrfCookie('csrf.session-1');
        return jsonResponse(200, { user: admin });
      },
      'GET /api/health': healthy,
      'GET /api/conversations': noConversations,
    });
    render(<App queryClient={createTestQueryClient()} />);

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    // A first visit: nothing about a session that ended, and no refresh attempt without a session.
    expect(screen.queryByRole('status')).toBeNull();
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'ada' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse battery' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    // Signed in, the app opens on a new chat beside the conversation list.
    expect(await screen.findByRole('navigation', { name: 'Conversations' })).toBeTruthy();
    expect(window.location.pathname).toBe('/');
    expect(sectionLink('Chat').getAttribute('aria-current')).toBe('page');
    const banner = screen.getByRole('banner');
    expect(banner.textContent).toContain('Aegis');
    expect(within(banner).getByText('ada')).toBeTruthy();
    expect(within(banner).getByText('Administrator')).toBeTruthy();
    // Without a csrf cookie there is no session to ask about: the first request is the sign-in.
    expect(calls(requests)[0]).toBe('POST /api/auth/login');

    fireEvent.click(sectionLink('Overview'));
    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy();
    expect(await screen.findByText('Operational')).toBeTruthy();
    expect(window.location.pathname).toBe('/overview');
    expect(calls(requests)).toContain('GET /api/health');
  });

  it('shows admins every section, Users included', async () => {
    signedInAs(admin);
    render(<App queryClient={createTestQueryClient()} />);

    await screen.findByRole('navigation', { name: 'Sections' });
    expect(navItems()).toEqual([
      'Chat',
      'Memory',
      'Approvals',
      'Audit',
      'Docker',
      'Providers',
      'Tools',
      'Actions',
      'System',
      'Overview',
      'API keys',
      'Users',
      'Account',
    ]);
    expect(sectionLink('Chat').getAttribute('aria-current')).toBe('page');
    expect(sectionLink('Overview').getAttribute('aria-current')).toBeNull();
    expect(screen.queryByLabelText('Password')).toBeNull();
  });

  it('hides the admin sections from non-admins and never asks for the user list', async () => {
    const requests = signedInAs(operator, { 'GET /api/api-keys': () => jsonResponse(200, { items: [] }) });
    render(<App queryClient={createTestQueryClient()} />);

    await screen.findByRole('navigation', { name: 'Sections' });
    expect(navItems()).toEqual(['Chat', 'Memory', 'Docker', 'Tools', 'Actions', 'Overview', 'API keys', 'Account']);
    expect(screen.queryByRole('link', { name: 'Users' })).toBeNull();

    for (const section of ['API keys', 'Account', 'Overview']) {
      fireEvent.click(sectionLink(section));
      expect(await screen.findByRole('heading', { level: 1, name: section })).toBeTruthy();
      expect(sectionLink(section).getAttribute('aria-current')).toBe('page');
    }
    expect(screen.queryByRole('table', { name: 'Users' })).toBeNull();
    expect(calls(requests)).not.toContain('GET /api/users');
  });

  it('switches sections from the sidebar: an admin reaches the user list', async () => {
    signedInAs(admin, {
      'GET /api/users': () => jsonResponse(200, { items: [{ ...admin, disabled: false, createdAt: '2026-11-01T09:00:00.000Z' }] }),
    });
    render(<App queryClient={createTestQueryClient()} />);

    await screen.findByRole('navigation', { name: 'Sections' });
    fireEvent.click(sectionLink('Users'));

    expect(await screen.findByRole('table', { name: 'Users' })).toBeTruthy();
    expect(sectionLink('Users').getAttribute('aria-current')).toBe('page');
    expect(window.location.pathname).toBe('/users');
  });

  it('signs out: POST /api/auth/logout with the CSRF header, then the login page, with nothing cached', async () => {
    const queryClient = createTestQueryClient();
    const requests = signedInAs(admin, {
      'POST /api/auth/logout': () => {
        clearCsrfCookie();
        return noContent();
      },
    });
    render(<App queryClient={queryClient} />);

    expect(await screen.findByText('No conversations yet — ask something below')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('You have signed out.');
    const logout = requests.find((request) => request.method === 'POST');
    expect(logout?.headers.get('x-csrf-token')).toBe('csrf.session-1');
    expect(await logout?.json()).toEqual({});
    expect(
      queryClient
        .getQueryCache()
        .getAll()
        .map((query) => query.queryKey),
    ).toEqual([['auth', 'me']]);
  });

  it('changes the password: lists the policy problems, then returns to sign-in because every session ended', async () => {
    let attempts = 0;
    const requests = signedInAs(operator, {
      'POST /api/auth/password': () => {
        attempts += 1;
        if (attempts === 1) {
          return jsonResponse(
            422,
            errorBody(422, ErrorCode.WeakPassword, 'The new password does not meet the password policy', [
              'password must be at least 12 characters',
              'password must not contain the username',
            ]),
          );
        }
        clearCsrfCookie();
        return noContent();
      },
    });
    render(<App queryClient={createTestQueryClient()} />);

    await screen.findByRole('navigation', { name: 'Sections' });
    fireEvent.click(sectionLink('Account'));
    await screen.findByLabelText('Current password');
    const fill = (current: string, next: string, repeat = next) => {
      fireEvent.change(screen.getByLabelText('Current password'), { target: { value: current } });
      fireEvent.change(screen.getByLabelText('New password'), { target: { value: next } });
      fireEvent.change(screen.getByLabelText('Repeat the new password'), { target: { value: repeat } });
      fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    };

    fill('old secret words', 'a fine passphrase', 'a fine passphrasf');
    expect((await screen.findByRole('alert')).textContent).toBe('The two new passwords differ.');
    expect(attempts).toBe(0);

    fill('old secret words', 'otto1');
    const alert = await screen.findByRole('alert');
    expect(alert.firstElementChild?.textContent).toBe('The password was not changed:');
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['password must be at least 12 characters', 'password must not contain the username']);

    fill('old secret words', 'a much longer passphrase');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe(
      'Your password was changed and every session of yours has ended. Sign in with the new password.',
    );
    const last = requests.filter((request) => request.method === 'POST').at(-1);
    expect(await last?.json()).toEqual({ currentPassword: 'old secret words', newPassword: 'a much longer passphrase' });
  });

  it('returns to the login page when the session cannot be renewed', async () => {
    const requests = signedInAs(admin, {
      'GET /api/api-keys': notSignedIn,
      'POST /api/auth/refresh': () =>
        jsonResponse(401, errorBody(401, ErrorCode.RefreshTokenReused, 'This session was ended for safety; sign in again')),
    });
    render(<App queryClient={createTestQueryClient()} />);

    await screen.findByRole('navigation', { name: 'Sections' });
    fireEvent.click(sectionLink('API keys'));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Your session has ended. Sign in again to continue.');
    expect(calls(requests)).toContain('POST /api/auth/refresh');
  });

  it('keeps the user signed in when the access token expired but the refresh works', async () => {
    let renewed = false;
    const requests = fakeApi({
      'GET /api/auth/me': () => (renewed ? jsonResponse(200, admin) : notSignedIn()),
      'POST /api/auth/refresh': () => {
        renewed = true;
        setCsrfCookie('csrf.session-2');
        return jsonResponse(200, { user: admin });
      },
      'GET /api/health': healthy,
      'GET /api/conversations': noConversations,
    });
    setCsrfCookie('csrf.session-1');
    render(<App queryClient={createTestQueryClient()} />);

    expect(await screen.findByRole('navigation', { name: 'Sections' })).toBeTruthy();
    expect(calls(requests).slice(0, 3)).toEqual(['GET /api/auth/me', 'POST /api/auth/refresh', 'GET /api/auth/me']);
  });

  it('tells the user when the session could not be checked at all', async () => {
    setCsrfCookie('csrf.session-1');
    fakeApi({ 'GET /api/auth/me': () => jsonResponse(500, errorBody(500, ErrorCode.Internal, 'Internal server error')) });
    render(<App queryClient={createTestQueryClient()} />);

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    await vi.waitFor(() => expect(screen.getByRole('status').textContent).toBe('Could not check your session: Internal server error'));
  });
});
