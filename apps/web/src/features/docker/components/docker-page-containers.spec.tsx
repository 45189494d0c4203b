import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { calls, fakeApi, jsonResponse } from '../../../testing/fake-api';
import { logs, renderDockerPage, restartTool, status, web, worker } from '../testing/docker-page.fixture';

describe('DockerPage: containers', () => {
  it('lists the allowlisted containers with state and health in words, image, uptime and restarts', async () => {
    fakeApi({ 'GET /api/docker/status': status([web, worker]), 'GET /api/tools': () => jsonResponse(200, restartTool()) });
    renderDockerPage();

    const table = await screen.findByRole('table', { name: 'Containers Aegis may see' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByRole('link', { name: 'Logs of web' })).toBeTruthy();
    expect(rows[0].textContent).toContain('nginx:1.27');
    expect(rows[0].textContent).toContain('Running');
    expect(rows[0].textContent).toContain('3 h 12 min');
    expect(rows[0].textContent).toContain('Healthy');
    expect(rows[1].textContent).toContain('Exited');
    expect(rows[1].textContent).toContain('No health check');
    expect(rows[1].textContent).toContain('—');
    // Each state carries an icon and a word, never colour alone.
    const state = rows[0].querySelector('[data-container-status="state"]');
    expect(state?.querySelector('svg[aria-hidden="true"]')).toBeTruthy();
    expect(state?.textContent).toBe('Running');
    expect(screen.getByText('Choose a container to read its logs and restart it.')).toBeTruthy();
  });

  it('says why Docker is not available in the server’s words, and what an admin can do', async () => {
    const reason =
      'Docker is not reachable: /var/run/docker.sock does not exist; is Docker installed and running, and is DOCKER_SOCKET right?';
    const requests = fakeApi({
      'GET /api/docker/status': () => jsonResponse(200, { available: false, containers: [], reason }),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
    });
    renderDockerPage({ role: 'admin' });

    const panel = await screen.findByRole('region', { name: 'Docker is not available' });
    expect(within(panel).getByText(reason)).toBeTruthy();
    expect(panel.textContent).toContain('DOCKER_CONTAINER_ALLOWLIST');
    expect(screen.queryByRole('table')).toBeNull();

    fireEvent.click(within(panel).getByRole('button', { name: 'Check again' }));
    await vi.waitFor(() => expect(calls(requests).filter((call) => call === 'GET /api/docker/status')).toHaveLength(2));
  });

  it('tells an operator to ask an admin when Docker is not available', async () => {
    fakeApi({
      'GET /api/docker/status': () =>
        jsonResponse(200, { available: false, containers: [], reason: 'DOCKER_CONTAINER_ALLOWLIST is empty' }),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
    });
    renderDockerPage({ role: 'operator' });

    const panel = await screen.findByRole('region', { name: 'Docker is not available' });
    expect(within(panel).getByText('DOCKER_CONTAINER_ALLOWLIST is empty')).toBeTruthy();
    expect(panel.textContent).toContain('Ask an admin');
  });

  it('opens a container’s logs from the list, keeping it in the URL', async () => {
    fakeApi({
      'GET /api/docker/status': status([web, worker]),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
      'GET /api/docker/containers/web/logs': logs('\u001b[32mstarted\u001b[0m\nGET /health 200\n'),
    });
    const { router } = renderDockerPage();

    fireEvent.click(await screen.findByRole('link', { name: 'Logs of web' }));
    expect(router.state.location.search).toEqual({ container: 'web' });
    const box = await screen.findByRole('region', { name: 'Log lines of web' });
    await vi.waitFor(() => expect(box.textContent).toBe('startedGET /health 200'));
    expect(screen.getByRole('link', { name: 'Download logs' }).getAttribute('href')).toBe(
      '/api/docker/containers/web/logs?tail=100&download=1',
    );
  });
});
