import type { ApiComponents } from '@aegis/contracts';
import { ErrorCode } from '@aegis/contracts';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { errorBody, fakeApi, jsonResponse } from '../../../testing/fake-api';
import { renderWithQueryClient } from '../../../testing/render';
import { SystemPage } from './system-page';

type SystemInfo = ApiComponents['schemas']['SystemDto'];

const system: SystemInfo = {
  versions: { aegis: '0.1.0', node: 'v24.11.0', nestjs: '11.2.10', postgres: 'PostgreSQL 17.5 on x86_64-pc-linux-gnu', docker: null },
  database: { kind: 'external', url: 'postgres://aegis:****@db:5432/aegis' },
  redis: { enabled: true, reachable: false, url: 'redis://:****@cache:6379', reason: 'Redis did not answer within 2 seconds' },
  docker: {
    available: false,
    socketPath: '/var/run/docker.sock',
    version: null,
    apiVersion: null,
    reason: 'no Docker socket at /var/run/docker.sock',
    containerAllowlist: ['web', 'worker'],
  },
  sandbox: {
    mode: 'sandbox',
    configuredDriver: 'auto',
    driver: 'bwrap',
    available: true,
    reason: null,
    image: 'aegis-sandbox:local',
    network: 'none',
    cpus: 0.5,
    memoryMb: 512,
    pidsLimit: 64,
    timeoutMs: 30000,
    maxOutputBytes: 1048576,
    tmpBytes: 67108864,
    allowDirectFallback: false,
  },
  startedAt: '2026-11-29T08:00:00.000Z',
  uptimeSeconds: 3 * 3600 + 25 * 60,
  config: [
    { key: 'PORT', value: '3000', secret: false, set: true },
    { key: 'SANDBOX_MEMORY_MB', value: '512', secret: false, set: true },
    { key: 'OPENAI_API_KEY', value: 'sk-…abcd', secret: true, set: true },
    { key: 'JWT_SECRET', value: null, secret: true, set: true },
    { key: 'ANTHROPIC_API_KEY', value: null, secret: true, set: false },
    { key: 'DATABASE_URL', value: 'postgres://aegis:****@db:5432/aegis', secret: true, set: true },
    { key: 'REDIS_URL', value: 'redis://:****@cache:6379', secret: true, set: true },
  ],
};

function rowOf(key: string): HTMLElement {
  const row = screen.getByRole('rowheader', { name: key }).closest('tr');
  if (row === null) throw new Error(`no row for ${key}`);
  return row;
}

describe('SystemPage', () => {
  it('shows each group as a card: server, versions, database, Redis, sandbox, Docker, configuration', async () => {
    fakeApi({ 'GET /api/system': () => jsonResponse(200, system) });
    renderWithQueryClient(<SystemPage />);
    expect(screen.getByText('Loading the system’s state…')).toBeTruthy();

    for (const title of ['Server', 'Versions', 'Database', 'Redis', 'Sandbox', 'Docker', 'Configuration']) {
      expect(await screen.findByRole('region', { name: title })).toBeTruthy();
    }
    const versions = screen.getByRole('region', { name: 'Versions' });
    expect(versions.textContent).toContain('0.1.0');
    expect(versions.textContent).toContain('v24.11.0');
    expect(versions.textContent).toContain('PostgreSQL 17.5');

    const database = screen.getByRole('region', { name: 'Database' });
    expect(database.textContent).toContain('External PostgreSQL');
    expect(database.textContent).toContain('postgres://aegis:****@db:5432/aegis');

    const redis = screen.getByRole('region', { name: 'Redis' });
    expect(redis.textContent).toContain('On');
    expect(redis.textContent).toContain('Redis did not answer within 2 seconds');

    const sandbox = screen.getByRole('region', { name: 'Sandbox' });
    expect(sandbox.textContent).toContain('bubblewrap');
    expect(sandbox.textContent).toContain('(configured: auto)');
    expect(sandbox.textContent).toContain('512 MB');
    expect(sandbox.textContent).toContain('30 s');
    expect(sandbox.textContent).toContain('1 MB');
    expect(sandbox.textContent).toContain('64 MB');

    const docker = screen.getByRole('region', { name: 'Docker' });
    expect(docker.textContent).toContain('Not reachable');
    expect(docker.textContent).toContain('no Docker socket at /var/run/docker.sock');
    expect(
      within(docker)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['web', 'worker']);

    expect(screen.getByRole('region', { name: 'Server' }).textContent).toContain('Up for3 hours 25 minutes');
  });

  it('shows secrets exactly as masked by the server, hidden ones as hidden, unset ones as not set', async () => {
    fakeApi({ 'GET /api/system': () => jsonResponse(200, system) });
    renderWithQueryClient(<SystemPage />);
    await screen.findByRole('table', { name: 'Configuration variables' });

    expect(rowOf('PORT').textContent).toBe('PORT3000');
    expect(rowOf('OPENAI_API_KEY').textContent).toContain('sk-…abcd');
    expect(rowOf('OPENAI_API_KEY').querySelector('[data-secret="true"]')).not.toBeNull();
    expect(rowOf('JWT_SECRET').textContent).toContain('set, hidden');
    expect(rowOf('ANTHROPIC_API_KEY').textContent).toContain('not set');
    expect(rowOf('DATABASE_URL').textContent).toContain('postgres://aegis:****@db:5432/aegis');
    // Nothing on the page offers to reveal a secret.
    expect(screen.queryByRole('button', { name: /show|reveal|unmask/i })).toBeNull();
  });

  it('searches the configuration by name and value', async () => {
    fakeApi({ 'GET /api/system': () => jsonResponse(200, system) });
    renderWithQueryClient(<SystemPage />);
    const search = await screen.findByRole('searchbox', { name: 'Search configuration' });
    expect(screen.getByText('7 variables')).toBeTruthy();

    fireEvent.change(search, { target: { value: 'sandbox' } });
    expect(screen.getAllByRole('rowheader').map((cell) => cell.textContent)).toEqual(['SANDBOX_MEMORY_MB']);
    expect(screen.getByText('1 of 7 variables')).toBeTruthy();

    fireEvent.change(search, { target: { value: 'cache:6379' } });
    expect(screen.getAllByRole('rowheader').map((cell) => cell.textContent)).toEqual(['REDIS_URL']);

    fireEvent.change(search, { target: { value: 'nothing-like-this' } });
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText(/No variable matches “nothing-like-this”/)).toBeTruthy();
  });

  it('says a failure in words with the request id, and can try again', async () => {
    let fail = true;
    fakeApi({
      'GET /api/system': () =>
        fail ? jsonResponse(403, errorBody(403, ErrorCode.Forbidden, 'This needs the admin role')) : jsonResponse(200, system),
    });
    renderWithQueryClient(<SystemPage />);
    expect((await screen.findByRole('alert')).textContent).toBe('Could not load the system’s state: This needs the admin role');
    expect(screen.getByText('req-test-1')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('region', { name: 'Configuration' })).toBeTruthy();
  });

  it('says when commands run without a sandbox', async () => {
    fakeApi({
      'GET /api/system': () =>
        jsonResponse(200, {
          ...system,
          sandbox: { ...system.sandbox, mode: 'direct', driver: 'direct' },
          database: { kind: 'embedded', url: null },
        }),
    });
    renderWithQueryClient(<SystemPage />);
    const sandbox = await screen.findByRole('region', { name: 'Sandbox' });
    expect(sandbox.textContent).toContain('Commands run directly on the host, without a sandbox.');
    expect(screen.getByRole('region', { name: 'Database' }).textContent).toContain('Embedded (PGlite in the data directory)');
  });
});
