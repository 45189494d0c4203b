import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, jsonResponse } from '../../../testing/fake-api';
import { logs, renderDockerPage, restartTool, status, web, worker } from '../testing/docker-page.fixture';
import { FakeEventSource } from '../testing/fake-event-source';

describe('DockerPage: logs', () => {
  it('reads the tail in the URL, and filters and marks the lines containing the search', async () => {
    const requests = fakeApi({
      'GET /api/docker/status': status([web]),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
      'GET /api/docker/containers/web/logs': logs('ready\nERROR disk full\nGET /health 200\nerror again\n'),
    });
    const { router } = renderDockerPage({ path: '/docker?container=web&tail=500' });

    const box = await screen.findByRole('region', { name: 'Log lines of web' });
    await vi.waitFor(() => expect(box.querySelectorAll('.log-line')).toHaveLength(4));
    const logRequest = requests.find((request) => new URL(request.url).pathname === '/api/docker/containers/web/logs');
    expect(new URL(logRequest?.url ?? '').searchParams.get('tail')).toBe('500');
    expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Lines' }).value).toBe('500');

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search logs' }), { target: { value: 'error' } });
    expect([...box.querySelectorAll('.log-line')].map((line) => line.textContent)).toEqual(['ERROR disk full', 'error again']);
    expect([...box.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['ERROR', 'error']);
    expect(screen.getByText('2 of 4 lines contain “error”')).toBeTruthy();
    await vi.waitFor(() => expect(router.state.location.search).toEqual({ container: 'web', tail: 500, q: 'error' }));
    expect(screen.getByRole('link', { name: 'Download logs' }).getAttribute('href')).toBe(
      '/api/docker/containers/web/logs?tail=500&download=1&search=error',
    );
  });

  it('follows the log live, filtering new lines by the search, and closes the stream when another container is opened', async () => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    fakeApi({
      'GET /api/docker/status': status([web, worker]),
      'GET /api/tools': () => jsonResponse(200, restartTool()),
      'GET /api/docker/containers/web/logs': logs('ready\n'),
      'GET /api/docker/containers/worker/logs': logs('worker line\n'),
    });
    const { router } = renderDockerPage({ path: '/docker?container=web&q=warn' });

    const follow = await screen.findByRole('button', { name: 'Follow' });
    expect(follow.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(follow);
    expect(follow.getAttribute('aria-pressed')).toBe('true');
    const source = FakeEventSource.latest();
    expect(source.url).toBe('/api/docker/containers/web/logs/stream?tail=100');
    source.emit('open', { maxDurationSeconds: 1800 });
    source.emit('lines', { lines: ['tick 1', 'warn 1', 'tick 2'] });
    expect(screen.getByText('Following — live').getAttribute('role')).toBe('status');
    const box = screen.getByRole('region', { name: 'Log lines of web' });
    expect([...box.querySelectorAll('.log-line')].map((line) => line.textContent)).toEqual(['warn 1']);
    expect(screen.getByText('1 of 3 lines contain “warn”')).toBeTruthy();

    fireEvent.click(screen.getByRole('link', { name: 'Logs of worker' }));
    await vi.waitFor(() => expect(router.state.location.search).toMatchObject({ container: 'worker' }));
    await vi.waitFor(() => expect(source.closed).toBe(true));
    expect(screen.getByRole('region', { name: 'Log lines of worker' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('false');
  });

  it('says which container the URL names when none is called that', async () => {
    fakeApi({ 'GET /api/docker/status': status([web]), 'GET /api/tools': () => jsonResponse(200, restartTool()) });
    renderDockerPage({ path: '/docker?container=gone' });
    expect(await screen.findByText('No allowlisted container is called “gone”. Pick one from the list.')).toBeTruthy();
  });
});
