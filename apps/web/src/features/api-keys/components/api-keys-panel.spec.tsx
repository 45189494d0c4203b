import { ErrorCode, Role } from '@aegis/contracts';
import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { calls, errorBody, fakeApi, jsonResponse, noContent, setCsrfCookie } from '../../../testing/fake-api';
import { renderWithQueryClient } from '../../../testing/render';
import type { ApiKey } from '../api/get-api-keys';
import { ApiKeysPanel } from './api-keys-panel';

const SECRET = 'aegis_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo';
const existing: ApiKey = {
  id: '1b7e3c9a-0c1d-4e2f-8a3b-000000000001',
  name: 'nightly backup',
  prefix: 'aegis_a1b2c3d4',
  role: Role.Viewer,
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: null,
  createdAt: '2026-11-01T10:00:00.000Z',
};
const created: ApiKey = {
  id: '1b7e3c9a-0c1d-4e2f-8a3b-000000000002',
  name: 'ci smoke tests',
  prefix: SECRET.slice(0, 14),
  role: Role.Operator,
  expiresAt: '2027-01-31T22:59:59.999Z',
  revokedAt: null,
  lastUsedAt: null,
  createdAt: '2026-11-21T10:00:00.000Z',
};

function stubClipboard(writeText: (text: string) => Promise<void>) {
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
}

describe('ApiKeysPanel', () => {
  afterEach(() => Reflect.deleteProperty(navigator, 'clipboard'));

  it('creates a key, shows it exactly once with a warning and a copy button, then never again', async () => {
    setCsrfCookie('csrf.1');
    let items = [existing];
    const requests = fakeApi({
      'GET /api/api-keys': () => jsonResponse(200, { items }),
      'POST /api/api-keys': () => {
        const { key: _key, ...summary } = { ...created, key: SECRET };
        items = [summary, existing];
        return jsonResponse(201, { ...created, key: SECRET });
      },
    });
    const writeText = vi.fn((_text: string) => Promise.resolve());
    stubClipboard(writeText);
    renderWithQueryClient(<ApiKeysPanel role={Role.Admin} />);

    expect(await screen.findByRole('rowheader', { name: /^nightly backup/ })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: '  ci smoke tests ' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: Role.Operator } });
    fireEvent.change(screen.getByLabelText('Expires after'), { target: { value: '2027-01-31' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));

    const shown = await screen.findByLabelText('New API key');
    expect(shown).toHaveProperty('value', SECRET);
    expect(shown).toHaveProperty('readOnly', true);
    expect(screen.getByText(/only time it is shown/).textContent).toContain('Copy it now');
    const post = requests.find((request) => request.method === 'POST');
    expect(post?.headers.get('x-csrf-token')).toBe('csrf.1');
    expect(await post?.json()).toEqual({
      name: 'ci smoke tests',
      role: Role.Operator,
      expiresAt: new Date('2027-01-31T23:59:59.999').toISOString(),
    });

    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await screen.findByText('Copied to the clipboard.')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(SECRET);

    // The list was refreshed through the query's key, and shows only the prefix.
    const table = await screen.findByRole('table', { name: 'Your API keys' });
    await vi.waitFor(() => expect(within(table).getByRole('rowheader', { name: /^ci smoke tests/ })).toBeTruthy());
    expect(calls(requests)).toEqual(['GET /api/api-keys', 'POST /api/api-keys', 'GET /api/api-keys']);
    expect(table.textContent).toContain(`${created.prefix}…`);
    expect(table.textContent).not.toContain(SECRET);

    fireEvent.click(screen.getByRole('button', { name: 'I have stored the key' }));
    await vi.waitFor(() => expect(screen.queryByLabelText('New API key')).toBeNull());
    expect(document.body.textContent).not.toContain(SECRET);
    expect(screen.getByRole('button', { name: 'Create key' })).toBeTruthy();
    expect(window.localStorage.length + window.sessionStorage.length).toBe(0);
  });

  it('tells the user to copy by hand when the browser refuses the clipboard', async () => {
    fakeApi({
      'GET /api/api-keys': () => jsonResponse(200, { items: [] }),
      'POST /api/api-keys': () => jsonResponse(201, { ...created, key: SECRET }),
    });
    stubClipboard(() => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')));
    renderWithQueryClient(<ApiKeysPanel role={Role.Viewer} />);

    fireEvent.change(await screen.findByLabelText('Name'), { target: { value: 'ci' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Copy' }));

    expect(await screen.findByText(/select the key and copy it yourself/)).toBeTruthy();
    expect(screen.getByLabelText('New API key')).toHaveProperty('value', SECRET);
  });

  it('offers only roles up to the creator’s own', async () => {
    fakeApi({ 'GET /api/api-keys': () => jsonResponse(200, { items: [] }) });
    renderWithQueryClient(<ApiKeysPanel role={Role.Operator} />);

    const options = within(await screen.findByLabelText('Role')).getAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual(['Viewer', 'Operator']);
    expect(screen.getByLabelText('Role')).toHaveProperty('value', Role.Operator);
    expect(await screen.findByText('No API keys yet.')).toBeTruthy();
  });

  it('shows the server’s reasons when creation is refused', async () => {
    fakeApi({
      'GET /api/api-keys': () => jsonResponse(200, { items: [] }),
      'POST /api/api-keys': () =>
        jsonResponse(422, errorBody(422, ErrorCode.ValidationFailed, 'Validation failed', ['expiresAt must be in the future'])),
    });
    renderWithQueryClient(<ApiKeysPanel role={Role.Admin} />);

    fireEvent.change(await screen.findByLabelText('Name'), { target: { value: 'ci' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));

    const alert = await screen.findByRole('alert');
    expect(alert.firstElementChild?.textContent).toBe('Could not create the key:');
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['expiresAt must be in the future']);
    expect(screen.queryByLabelText('New API key')).toBeNull();
  });

  it('revokes a key only after confirming, then shows it revoked', async () => {
    setCsrfCookie('csrf.1');
    let items = [existing];
    const requests = fakeApi({
      'GET /api/api-keys': () => jsonResponse(200, { items }),
      [`DELETE /api/api-keys/${existing.id}`]: () => {
        items = [{ ...existing, revokedAt: '2026-11-21T11:00:00.000Z' }];
        return noContent();
      },
    });
    renderWithQueryClient(<ApiKeysPanel role={Role.Admin} />);

    fireEvent.click(await screen.findByRole('button', { name: 'Revoke' }));
    const question = screen.getByRole('group', { name: 'Revoke “nightly backup”?' });
    fireEvent.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(calls(requests)).toEqual(['GET /api/api-keys']);

    fireEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, revoke' }));

    expect(await screen.findByText('Revoked')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Revoke' })).toBeNull();
    expect(calls(requests)).toEqual(['GET /api/api-keys', `DELETE /api/api-keys/${existing.id}`, 'GET /api/api-keys']);
    expect(requests[1].headers.get('x-csrf-token')).toBe('csrf.1');
  });
});
