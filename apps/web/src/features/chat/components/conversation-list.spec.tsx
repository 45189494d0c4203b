import { ErrorCode } from '@aegis/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { calls, errorBody, fakeApi, jsonResponse, noContent, type FakeRoute } from '../../../testing/fake-api';
import { renderWithRouter } from '../../../testing/render-with-router';
import type { Conversation } from '../api/get-conversations';
import { ChatLayout } from './chat-layout';

const NOW = Date.now();

function conversation(index: number, title = `Conversation ${index}`): Conversation {
  const at = new Date(NOW - index * 60_000).toISOString();
  return { id: `7c3f2a1e-0000-4000-8000-${String(index).padStart(12, '0')}`, title, createdAt: at, updatedAt: at };
}

const first = Array.from({ length: 3 }, (_, index) => conversation(index + 1));
const second = [conversation(4), conversation(5)];

/** GET /api/conversations as the API pages it: the first page, then the second after cursor "page-2". */
const twoPages: FakeRoute = (request) => {
  const cursor = new URL(request.url).searchParams.get('cursor');
  return cursor === 'page-2'
    ? jsonResponse(200, { items: second, nextCursor: null })
    : jsonResponse(200, { items: first, nextCursor: 'page-2' });
};

function column() {
  return screen.getByRole('navigation', { name: 'Conversations' });
}

function titles(): string[] {
  return within(column())
    .queryAllByRole('link')
    .filter((link) => link.getAttribute('href')?.startsWith('/c/'))
    .map((link) => link.querySelector('.conversation-item__title')?.textContent ?? '');
}

function renderChat(path = '/') {
  return renderWithRouter(
    <ChatLayout>
      <p>The thread</p>
    </ChatLayout>,
    { path },
  );
}

describe('the conversation column', () => {
  it('shows skeletons, then the conversations most recent first, the open one marked current, beside the thread', async () => {
    fakeApi({ 'GET /api/conversations': twoPages });
    renderChat(`/c/${first[1].id}`);

    expect((await screen.findByRole('status')).textContent).toBe('Loading conversations…');
    await waitFor(() => expect(titles()).toEqual(['Conversation 1', 'Conversation 2', 'Conversation 3']));
    const current = within(column()).getByRole('link', { name: /Conversation 2/ });
    expect(current.getAttribute('aria-current')).toBe('page');
    expect(current.getAttribute('href')).toBe(`/c/${first[1].id}`);
    expect(
      within(column())
        .getByRole('link', { name: /Conversation 1/ })
        .getAttribute('aria-current'),
    ).toBeNull();
    expect(within(column()).getByRole('link', { name: 'New chat' }).getAttribute('href')).toBe('/');
    expect(screen.getByText('The thread')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('loads the next page with the cursor from "Load more"', async () => {
    const requests = fakeApi({ 'GET /api/conversations': twoPages });
    renderChat();

    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));

    await waitFor(() => expect(titles()).toHaveLength(5));
    expect(titles().slice(3)).toEqual(['Conversation 4', 'Conversation 5']);
    expect(requests.map((request) => new URL(request.url).search)).toEqual(['', '?cursor=page-2']);
    // The last page: nothing more to load.
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('loads the next page when the end of the list scrolls into view', async () => {
    const observed: { callback: IntersectionObserverCallback; target?: Element }[] = [];
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        private readonly entry: { callback: IntersectionObserverCallback; target?: Element };
        constructor(callback: IntersectionObserverCallback) {
          this.entry = { callback };
          observed.push(this.entry);
        }
        observe(target: Element) {
          this.entry.target = target;
        }
        disconnect() {
          this.entry.target = undefined;
        }
      },
    );
    const requests = fakeApi({ 'GET /api/conversations': twoPages });
    renderChat();
    await screen.findByRole('button', { name: 'Load more' });

    const watching = observed.filter((entry) => entry.target !== undefined);
    expect(watching).toHaveLength(1);
    const [sentinel] = watching;
    sentinel.callback([{ isIntersecting: true, target: sentinel.target } as IntersectionObserverEntry], {} as IntersectionObserver);

    await waitFor(() => expect(titles()).toHaveLength(5));
    expect(calls(requests)).toEqual(['GET /api/conversations', 'GET /api/conversations']);
    expect(observed.filter((entry) => entry.target !== undefined)).toHaveLength(0);
  });

  it('searches titles: sends q once typing pauses, and says when nothing matches', async () => {
    const requests = fakeApi({
      'GET /api/conversations': (request) => {
        const q = new URL(request.url).searchParams.get('q');
        if (q === null) return jsonResponse(200, { items: first, nextCursor: null });
        return jsonResponse(200, { items: q === 'deploy' ? [conversation(9, 'Deploy notes')] : [], nextCursor: null });
      },
    });
    renderChat();
    await waitFor(() => expect(titles()).toHaveLength(3));

    const search = screen.getByRole('searchbox', { name: 'Search conversations' });
    fireEvent.change(search, { target: { value: 'dep' } });
    fireEvent.change(search, { target: { value: 'deploy ' } });

    await waitFor(() => expect(titles()).toEqual(['Deploy notes']));
    // One request for what was typed when it paused, trimmed; none for the keystrokes before.
    expect(requests.map((request) => new URL(request.url).searchParams.get('q'))).toEqual([null, 'deploy']);

    fireEvent.change(search, { target: { value: 'nothing like it' } });
    expect(await screen.findByText('No conversation titles contain “nothing like it”.')).toBeTruthy();
  });

  it('says what to do when there are no conversations yet', async () => {
    fakeApi({ 'GET /api/conversations': () => jsonResponse(200, { items: [], nextCursor: null }) });
    renderChat();

    expect(await screen.findByText('No conversations yet — ask something below')).toBeTruthy();
  });

  it('shows the server’s message when the list cannot be loaded, and tries again', async () => {
    let failing = true;
    fakeApi({
      'GET /api/conversations': () =>
        failing
          ? jsonResponse(503, errorBody(503, ErrorCode.ServiceUnavailable, 'Database unavailable'))
          : jsonResponse(200, { items: first, nextCursor: null }),
    });
    renderChat();

    expect((await screen.findByRole('alert')).textContent).toBe('Could not load your conversations: Database unavailable');
    failing = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(titles()).toHaveLength(3));
  });

  it('renames in place with PATCH {title}, shows a refusal in the row, and shows the new title', async () => {
    let saved = first;
    const requests = fakeApi({
      'GET /api/conversations': () => jsonResponse(200, { items: saved, nextCursor: null }),
      [`PATCH /api/conversations/${first[0].id}`]: async (request) => {
        const { title } = (await request.json()) as { title: string };
        if (title.length > 10)
          return jsonResponse(422, errorBody(422, ErrorCode.ValidationFailed, 'Validation failed', ['title is too long for this test']));
        saved = [{ ...first[0], title }, ...first.slice(1)];
        return jsonResponse(200, saved[0]);
      },
    });
    renderChat();

    fireEvent.click(await screen.findByRole('button', { name: 'Rename “Conversation 1”' }));
    const input = screen.getByRole('textbox', { name: 'Conversation title' });
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: 'A very long new title' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not rename the conversation:');
    expect(alert.textContent).toContain('title is too long for this test');

    fireEvent.change(input, { target: { value: '  Plans  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(titles()[0]).toBe('Plans'));
    const patches = requests.filter((request) => request.method === 'PATCH');
    expect(await patches[1].json()).toEqual({ title: 'Plans' });
    expect(patches[1].headers.get('content-type')).toContain('application/json');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Rename “Plans”' }));
  });

  it('cancels a rename with Esc without a request', async () => {
    const requests = fakeApi({ 'GET /api/conversations': () => jsonResponse(200, { items: first, nextCursor: null }) });
    renderChat();

    fireEvent.click(await screen.findByRole('button', { name: 'Rename “Conversation 2”' }));
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Conversation title' }), { key: 'Escape' });

    expect(screen.queryByRole('textbox', { name: 'Conversation title' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Rename “Conversation 2”' }));
    expect(calls(requests)).toEqual(['GET /api/conversations']);
  });

  it('deletes only after confirming, and stays on the open conversation when another one is deleted', async () => {
    let saved = first;
    const requests = fakeApi({
      'GET /api/conversations': () => jsonResponse(200, { items: saved, nextCursor: null }),
      [`DELETE /api/conversations/${first[2].id}`]: () => {
        saved = first.slice(0, 2);
        return noContent();
      },
    });
    const { router } = renderChat(`/c/${first[0].id}`);

    fireEvent.click(await screen.findByRole('button', { name: 'Delete “Conversation 3”' }));
    const question = screen.getByRole('group', { name: 'Delete “Conversation 3”?' });
    fireEvent.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(calls(requests)).not.toContain(`DELETE /api/conversations/${first[2].id}`);

    fireEvent.click(screen.getByRole('button', { name: 'Delete “Conversation 3”' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));

    await waitFor(() => expect(titles()).toEqual(['Conversation 1', 'Conversation 2']));
    expect(calls(requests)).toContain(`DELETE /api/conversations/${first[2].id}`);
    expect(router.state.location.pathname).toBe(`/c/${first[0].id}`);
  });

  it('goes to a new chat when the open conversation is deleted', async () => {
    fakeApi({
      'GET /api/conversations': () => jsonResponse(200, { items: first, nextCursor: null }),
      [`DELETE /api/conversations/${first[0].id}`]: noContent,
    });
    const { router } = renderChat(`/c/${first[0].id}`);

    fireEvent.click(await screen.findByRole('button', { name: 'Delete “Conversation 1”' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
  });

  it('shows why a delete failed in the row', async () => {
    fakeApi({
      'GET /api/conversations': () => jsonResponse(200, { items: first, nextCursor: null }),
      [`DELETE /api/conversations/${first[0].id}`]: () => jsonResponse(404, errorBody(404, ErrorCode.NotFound, 'Conversation not found')),
    });
    renderChat();

    fireEvent.click(await screen.findByRole('button', { name: 'Delete “Conversation 1”' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));

    const question = screen.getByRole('group', { name: 'Delete “Conversation 1”?' });
    expect((await within(question).findByRole('alert')).textContent).toBe('Could not delete the conversation: Conversation not found');
  });

  it('opens as a drawer from the "Conversations" button: focus moves in, Esc closes it and focus returns', async () => {
    fakeApi({ 'GET /api/conversations': () => jsonResponse(200, { items: first, nextCursor: null }) });
    const { router } = renderChat();
    const button = await screen.findByRole('button', { name: 'Conversations' });
    expect(button.getAttribute('aria-controls')).toBe(column().id);
    expect(button.getAttribute('aria-expanded')).toBe('false');

    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(within(column()).getByRole('link', { name: 'New chat' }));

    fireEvent.keyDown(document.activeElement ?? column(), { key: 'Escape' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(button);

    // The backdrop closes it too, and following a link closes it.
    fireEvent.click(button);
    fireEvent.click(screen.getByRole('button', { name: 'Close the conversation list' }));
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(button);
    fireEvent.click(await within(column()).findByRole('link', { name: /Conversation 2/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/c/${first[1].id}`));
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });
});
