import { ErrorCode, Role } from '@aegis/contracts';
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { errorBody, fakeApi, jsonResponse } from '../../../testing/fake-api';
import { renderWithQueryClient } from '../../../testing/render';
import { meQueryOptions } from '../api/get-me';
import { LoginForm } from './login-form';

function signIn(username: string, password: string) {
  fireEvent.change(screen.getByLabelText('Username'), { target: { value: username } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginForm', () => {
  it('renders labelled username and password fields and a submit button', () => {
    fakeApi({});
    renderWithQueryClient(<LoginForm />);

    expect(screen.getByLabelText('Username')).toHaveProperty('type', 'text');
    expect(screen.getByLabelText('Password')).toHaveProperty('type', 'password');
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveProperty('type', 'submit');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("posts the credentials as JSON and shows the server's message when the login fails", async () => {
    const requests = fakeApi({
      'POST /api/auth/login': () => jsonResponse(401, errorBody(401, ErrorCode.InvalidCredentials, 'Invalid username or password')),
    });
    renderWithQueryClient(<LoginForm />);

    signIn(' admin ', 'wrong password');

    expect((await screen.findByRole('alert')).textContent).toBe('Invalid username or password');
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request.method).toBe('POST');
    expect(new URL(request.url).pathname).toBe('/api/auth/login');
    expect(request.credentials).toBe('same-origin');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(await request.json()).toEqual({ username: 'admin', password: 'wrong password' });
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveProperty('disabled', false);
  });

  it('says how long to wait after too many failures, from the Retry-After header', async () => {
    fakeApi({
      'POST /api/auth/login': () =>
        jsonResponse(429, errorBody(429, ErrorCode.RateLimited, 'Too many failed sign-in attempts; try again in 90 seconds'), {
          'Retry-After': '90',
        }),
    });
    renderWithQueryClient(<LoginForm />);

    signIn('admin', 'guess');

    expect((await screen.findByRole('alert')).textContent).toBe('Too many failed sign-in attempts. Try again in 1 minute 30 seconds.');
  });

  it('words a short wait in seconds, and falls back to the server message without Retry-After', async () => {
    let retryAfter: Record<string, string> = { 'Retry-After': '1' };
    fakeApi({
      'POST /api/auth/login': () =>
        jsonResponse(429, errorBody(429, ErrorCode.RateLimited, 'Too many requests; try again later'), retryAfter),
    });
    renderWithQueryClient(<LoginForm />);

    signIn('admin', 'guess');
    expect((await screen.findByRole('alert')).textContent).toBe('Too many failed sign-in attempts. Try again in 1 second.');

    retryAfter = {};
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Too many requests; try again later'));
  });

  it('says the server could not be reached when the network fails', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    renderWithQueryClient(<LoginForm />);

    signIn('admin', 'secret');

    expect((await screen.findByRole('alert')).textContent).toBe('Could not reach the server. Check your connection and try again.');
  });

  it('describes a non-JSON failure by its status instead of crashing', async () => {
    fakeApi({
      'POST /api/auth/login': () =>
        new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/html' } }),
    });
    renderWithQueryClient(<LoginForm />);

    signIn('admin', 'secret');

    expect((await screen.findByRole('alert')).textContent).toBe('The server answered 502 Bad Gateway.');
  });

  it('hands the signed-in user to the session and keeps no token in web storage', async () => {
    const user = { id: '6a0d3c52-8f0e-4f5e-9d1a-0a4f3b2c1d00', username: 'admin', role: Role.Admin };
    fakeApi({ 'POST /api/auth/login': () => jsonResponse(200, { user }) });
    const onSuccess = vi.fn();
    const { queryClient } = renderWithQueryClient(<LoginForm onSuccess={onSuccess} />);

    signIn('admin', 'correct horse');

    await vi.waitFor(() => expect(onSuccess).toHaveBeenCalledWith(user));
    expect(queryClient.getQueryData(meQueryOptions().queryKey)).toEqual(user);
    expect(window.localStorage.length).toBe(0);
    expect(window.sessionStorage.length).toBe(0);
  });
});
