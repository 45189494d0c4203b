import { ErrorCode, Role } from '@aegis/contracts';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { calls, errorBody, fakeApi, jsonResponse, setCsrfCookie } from '../../../testing/fake-api';
import { renderWithQueryClient } from '../../../testing/render';
import { UsersPanel } from './users-panel';

const root = {
  id: '0e5c1c2a-7b1d-4c36-9a52-000000000001',
  username: 'root',
  role: Role.Admin,
  disabled: false,
  createdAt: '2026-11-01T09:00:00.000Z',
};
const bob = {
  id: '0e5c1c2a-7b1d-4c36-9a52-000000000002',
  username: 'bob',
  role: Role.Viewer,
  disabled: false,
  createdAt: '2026-11-02T09:00:00.000Z',
};

function rowOf(name: string): HTMLElement {
  const row = screen.getByRole('rowheader', { name: new RegExp(`^${name}`) }).closest('tr');
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

describe('UsersPanel', () => {
  it('lists users; the signed-in admin cannot demote or disable themselves here', async () => {
    fakeApi({ 'GET /api/users': () => jsonResponse(200, { items: [root, bob] }) });
    renderWithQueryClient(<UsersPanel currentUserId={root.id} />);

    await screen.findByRole('table', { name: 'Users' });
    expect(within(rowOf('root')).queryByRole('combobox')).toBeNull();
    expect(within(rowOf('root')).queryByRole('button')).toBeNull();
    expect(within(rowOf('root')).getByText('you')).toBeTruthy();
    expect(within(rowOf('bob')).getByRole('combobox', { name: 'Role of bob' })).toHaveProperty('value', Role.Viewer);
    expect(within(rowOf('bob')).getByRole('button', { name: 'Disable' })).toBeTruthy();
  });

  it('creates a user, then lists them', async () => {
    setCsrfCookie('csrf.1');
    const carol = {
      id: '0e5c1c2a-7b1d-4c36-9a52-000000000003',
      username: 'carol',
      role: Role.Operator,
      disabled: false,
      createdAt: '2026-11-21T09:00:00.000Z',
    };
    let items = [root];
    const requests = fakeApi({
      'GET /api/users': () => jsonResponse(200, { items }),
      'POST /api/users': () => {
        items = [root, carol];
        return jsonResponse(201, carol);
      },
    });
    renderWithQueryClient(<UsersPanel currentUserId={root.id} />);

    await screen.findByRole('table', { name: 'Users' });
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: ' carol ' } });
    fireEvent.change(screen.getByLabelText('Initial password'), { target: { value: 'a long first passphrase' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: Role.Operator } });
    fireEvent.click(screen.getByRole('button', { name: 'Create user' }));

    expect((await screen.findByRole('status')).textContent).toBe('Created “carol” as Operator.');
    await vi.waitFor(() => expect(rowOf('carol')).toBeTruthy());
    const post = requests.find((request) => request.method === 'POST');
    expect(await post?.json()).toEqual({ username: 'carol', password: 'a long first passphrase', role: Role.Operator });
    expect(post?.headers.get('x-csrf-token')).toBe('csrf.1');
    expect(screen.getByLabelText('Username')).toHaveProperty('value', '');
  });

  it('shows why a new user was refused, one line per problem', async () => {
    fakeApi({
      'GET /api/users': () => jsonResponse(200, { items: [root] }),
      'POST /api/users': () =>
        jsonResponse(
          422,
          errorBody(422, ErrorCode.WeakPassword, 'The password does not meet the policy', [
            'password must be at least 12 characters',
            'password must not contain the username',
          ]),
        ),
    });
    renderWithQueryClient(<UsersPanel currentUserId={root.id} />);

    await screen.findByRole('table', { name: 'Users' });
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'dave' } });
    fireEvent.change(screen.getByLabelText('Initial password'), { target: { value: 'dave1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create user' }));

    const alert = await screen.findByRole('alert');
    expect(alert.firstElementChild?.textContent).toBe('Could not create the user:');
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['password must be at least 12 characters', 'password must not contain the username']);
  });

  it('changes a role and disables after confirming, through PATCH /api/users/{id}', async () => {
    let current = bob;
    const requests = fakeApi({
      'GET /api/users': () => jsonResponse(200, { items: [root, current] }),
      [`PATCH /api/users/${bob.id}`]: async (request) => {
        current = { ...current, ...((await request.json()) as Partial<typeof bob>) };
        return jsonResponse(200, current);
      },
    });
    renderWithQueryClient(<UsersPanel currentUserId={root.id} />);

    fireEvent.change(await screen.findByRole('combobox', { name: 'Role of bob' }), { target: { value: Role.Operator } });
    await vi.waitFor(() => expect(screen.getByRole('combobox', { name: 'Role of bob' })).toHaveProperty('value', Role.Operator));

    fireEvent.click(within(rowOf('bob')).getByRole('button', { name: 'Disable' }));
    fireEvent.click(within(rowOf('bob')).getByRole('button', { name: 'Yes, disable' }));
    expect(await within(rowOf('bob')).findByText('Disabled')).toBeTruthy();

    fireEvent.click(within(rowOf('bob')).getByRole('button', { name: 'Enable' }));
    expect(await within(rowOf('bob')).findByText('Active')).toBeTruthy();

    const patches = requests.filter((request) => request.method === 'PATCH');
    expect(await Promise.all(patches.map((request) => request.json()))).toEqual([
      { role: Role.Operator },
      { disabled: true },
      { disabled: false },
    ]);
    expect(calls(requests).filter((call) => call === 'GET /api/users')).toHaveLength(4);
  });

  it('shows a refused change, such as demoting the last admin', async () => {
    fakeApi({
      'GET /api/users': () => jsonResponse(200, { items: [root, { ...bob, role: Role.Admin }] }),
      [`PATCH /api/users/${bob.id}`]: () =>
        jsonResponse(403, errorBody(403, ErrorCode.LastAdmin, 'At least one enabled admin must remain')),
    });
    renderWithQueryClient(<UsersPanel currentUserId={root.id} />);

    fireEvent.change(await screen.findByRole('combobox', { name: 'Role of bob' }), { target: { value: Role.Viewer } });

    expect((await screen.findByRole('alert')).textContent).toBe('Could not change bob: At least one enabled admin must remain');
  });
});
