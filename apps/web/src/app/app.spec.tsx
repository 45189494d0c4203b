import { ErrorCode, Role } from '@aegis/contracts';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { errorBody, fakeApi, jsonResponse } from '../testing/fake-api';
import { createTestQueryClient } from '../testing/render';
import { App } from './app';

const admin = { id: '6a0d3c52-8f0e-4f5e-9d1a-0a4f3b2c1d00', username: 'ada', role: Role.Admin };
const healthy = () => jsonResponse(200, { status: 'ok', info: { database: { status: 'up' } }, error: {}, details: { database: { status: 'up' } } });

describe('App', () => {
  it('shows the login page when there is no session, then the dashboard after signing in', async () => {
    fakeApi({
      'GET /api/auth/me': () => jsonResponse(401, errorBody(401, ErrorCode.Unauthenticated, 'Not signed in')),
      'POST /api/auth/login': () => jsonResponse(200, { user: admin }),
      'GET /api/health': healthy,
    });
    render(<App queryClient={createTestQueryClient()} />);

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'ada' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy();
    expect(screen.getByRole('banner').textContent).toContain('Aegis');
    expect(screen.getByText('ada')).toBeTruthy();
    expect(screen.getByText('Administrator')).toBeTruthy();
    expect(await screen.findByText('Operational')).toBeTruthy();
  });

  it('goes straight to the dashboard when /api/auth/me knows the user', async () => {
    fakeApi({ 'GET /api/auth/me': () => jsonResponse(200, admin), 'GET /api/health': healthy });
    render(<App queryClient={createTestQueryClient()} />);

    const sections = await screen.findByRole('navigation', { name: 'Sections' });
    const upcoming = within(sections)
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(upcoming).toEqual(['Overview', 'Chatcoming soon', 'Approvalscoming soon', 'Auditcoming soon', 'Providerscoming soon', 'Dockercoming soon']);
    expect(screen.queryByLabelText('Password')).toBeNull();
  });

  it('shows the login page while the auth endpoints do not exist yet (404)', async () => {
    fakeApi({});
    render(<App queryClient={createTestQueryClient()} />);

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });
});
