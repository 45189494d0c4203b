import { ErrorCode } from '@aegis/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { calls, errorBody, fakeApi, jsonResponse, noContent } from '../../../testing/fake-api';
import { renderWithRouter } from '../../../testing/render-with-router';
import type { MemoryItem } from '../api/get-memory';
import { MemoryPage } from './memory-page';

const conversationId = '7c3f2a1e-0000-4000-8000-00000000c0de';

function item(index: number, content: string, extra: Partial<MemoryItem> = {}): MemoryItem {
  return {
    id: `5b1e9d2a-0000-4000-8000-${String(index).padStart(12, '0')}`,
    kind: 'fact',
    content,
    source: null,
    createdAt: new Date(Date.now() - index * 3_600_000).toISOString(),
    ...extra,
  };
}

const docker = item(1, 'Deploys with Docker Compose on Debian', { source: conversationId });
const editor = item(2, 'Prefers Vim keybindings');
const summary = item(3, 'Worked on the billing service last week', { kind: 'summary' });

function listed(): string[] {
  const list = screen.queryByRole('list', { name: 'What the agent remembers' });
  return list
    ? within(list)
        .getAllByRole('listitem')
        .map((row) => row.querySelector('.memory-item__content')?.textContent ?? '')
    : [];
}

function query(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}

describe('MemoryPage', () => {
  it('lists what the agent remembers, newest first, with its kind, age and source, and pages with "Load more"', async () => {
    const requests = fakeApi({
      'GET /api/memory': (request) =>
        query(request).cursor === 'next'
          ? jsonResponse(200, { items: [summary], nextCursor: null })
          : jsonResponse(200, { items: [docker, editor], nextCursor: 'next' }),
    });
    renderWithRouter(<MemoryPage />, { path: '/memory' });

    expect(await screen.findByText('Loading what the agent remembers…')).toBeTruthy();
    await waitFor(() => expect(listed()).toEqual([docker.content, editor.content]));
    const first = screen.getAllByRole('listitem')[0];
    expect(within(first).getByText('Fact')).toBeTruthy();
    expect(within(first).getByRole('link', { name: 'from a conversation' }).getAttribute('href')).toBe(`/c/${conversationId}`);

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));

    await waitFor(() => expect(listed()).toEqual([docker.content, editor.content, summary.content]));
    expect(screen.getByText('Summary')).toBeTruthy();
    expect(requests.map(query)).toEqual([{ limit: '20' }, { limit: '20', cursor: 'next' }]);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('says what to do when nothing is remembered yet', async () => {
    fakeApi({ 'GET /api/memory': () => jsonResponse(200, { items: [], nextCursor: null }) });
    renderWithRouter(<MemoryPage />, { path: '/memory' });

    expect(await screen.findByText('Nothing remembered yet. Add an item above, or tell the agent about yourself in a chat.')).toBeTruthy();
  });

  it('searches on the server with q once typing pauses', async () => {
    const requests = fakeApi({
      'GET /api/memory': (request) => {
        const { q } = query(request);
        if (q === undefined) return jsonResponse(200, { items: [docker, editor], nextCursor: null });
        return jsonResponse(200, { items: q === 'docker' ? [docker] : [], nextCursor: null });
      },
    });
    renderWithRouter(<MemoryPage />, { path: '/memory' });
    await waitFor(() => expect(listed()).toHaveLength(2));

    const search = screen.getByRole('searchbox', { name: 'Search memory' });
    fireEvent.change(search, { target: { value: 'dock' } });
    fireEvent.change(search, { target: { value: 'docker' } });

    await waitFor(() => expect(listed()).toEqual([docker.content]));
    expect(requests.map((request) => query(request).q)).toEqual([undefined, 'docker']);

    fireEvent.change(search, { target: { value: 'kubernetes' } });
    expect(await screen.findByText('Nothing remembered matches “kubernetes”. The search looks for whole words.')).toBeTruthy();
  });

  it('adds an item with POST {content}, shows the refusal first, then the new item in the list', async () => {
    let saved = [editor];
    let attempts = 0;
    const requests = fakeApi({
      'GET /api/memory': () => jsonResponse(200, { items: saved, nextCursor: null }),
      'POST /api/memory': async (request) => {
        attempts += 1;
        const { content } = (await request.json()) as { content: string };
        if (attempts === 1) return jsonResponse(429, errorBody(429, ErrorCode.RateLimited, 'Too many requests, try again in 30 seconds'));
        const created = item(0, content);
        saved = [created, ...saved];
        return jsonResponse(201, created);
      },
    });
    renderWithRouter(<MemoryPage />, { path: '/memory' });
    await waitFor(() => expect(listed()).toHaveLength(1));

    const field = screen.getByRole('textbox', { name: 'Memory' });
    const add = screen.getByRole('button', { name: 'Add' });
    expect((add as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(field, { target: { value: '  Lives in Lisbon  ' } });
    fireEvent.click(add);

    expect((await screen.findByRole('alert')).textContent).toBe('Could not add it: Too many requests, try again in 30 seconds');
    expect((field as HTMLTextAreaElement).value).toBe('  Lives in Lisbon  ');

    fireEvent.click(add);

    await waitFor(() => expect(listed()).toEqual(['Lives in Lisbon', editor.content]));
    expect((field as HTMLTextAreaElement).value).toBe('');
    expect(screen.getByText('Added. The agent will remember it.')).toBeTruthy();
    const posts = requests.filter((request) => request.method === 'POST');
    expect(await posts[1].json()).toEqual({ content: 'Lives in Lisbon' });
  });

  it('deletes an item only after confirming, with DELETE /api/memory/{id}', async () => {
    let saved = [docker, editor];
    const requests = fakeApi({
      'GET /api/memory': () => jsonResponse(200, { items: saved, nextCursor: null }),
      [`DELETE /api/memory/${editor.id}`]: () => {
        saved = [docker];
        return noContent();
      },
    });
    renderWithRouter(<MemoryPage />, { path: '/memory' });
    await waitFor(() => expect(listed()).toHaveLength(2));

    const row = screen.getAllByRole('listitem')[1];
    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    const question = within(row).getByRole('group', { name: 'Delete “Prefers Vim keybindings”?' });
    fireEvent.click(within(question).getByRole('button', { name: 'Yes, delete' }));

    await waitFor(() => expect(listed()).toEqual([docker.content]));
    expect(calls(requests)).toContain(`DELETE /api/memory/${editor.id}`);
  });

  it('shows the server’s message where a delete or the list failed', async () => {
    let listFails = true;
    fakeApi({
      'GET /api/memory': () =>
        listFails
          ? jsonResponse(503, errorBody(503, ErrorCode.ServiceUnavailable, 'Database unavailable'))
          : jsonResponse(200, { items: [docker], nextCursor: null }),
      [`DELETE /api/memory/${docker.id}`]: () => jsonResponse(404, errorBody(404, ErrorCode.NotFound, 'Memory item not found')),
    });
    renderWithRouter(<MemoryPage />, { path: '/memory' });

    expect((await screen.findByRole('alert')).textContent).toBe('Could not load what the agent remembers: Database unavailable');
    listFails = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(listed()).toHaveLength(1));

    const row = screen.getAllByRole('listitem')[0];
    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Yes, delete' }));

    expect((await within(row).findByRole('alert')).textContent).toBe('Could not delete it: Memory item not found');
  });
});
