import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, jsonResponse } from '../../../testing/fake-api';
import { renderWithQueryClient } from '../../../testing/render';
import type { SendInput, SendOutcome } from '../hooks/chat-session';
import type { AttachmentsState } from '../hooks/use-attachments';
import { Composer } from './composer';

function attachmentsState(overrides: Partial<AttachmentsState> = {}): AttachmentsState {
  return { attachments: [], add: vi.fn(), remove: vi.fn(), clear: vi.fn(), readyIds: [], busy: false, ...overrides };
}

const PROVIDERS = {
  items: [
    {
      name: 'openai',
      configured: true,
      position: 0,
      defaultModel: 'gpt-4.1-mini',
      models: ['gpt-4.1-mini', 'gpt-4.1'],
      circuit: 'closed',
      embeddingModel: null,
      lastFailure: null,
      reachable: true,
    },
    {
      name: 'groq',
      configured: false,
      position: null,
      defaultModel: 'llama',
      models: ['llama'],
      circuit: 'closed',
      embeddingModel: null,
      lastFailure: null,
      reachable: null,
    },
  ],
};

function renderComposer(
  props: { running?: boolean; attachments?: AttachmentsState; onSend?: (input: SendInput) => Promise<SendOutcome>; draftKey?: string } = {},
) {
  const onSend = vi.fn(props.onSend ?? (() => Promise.resolve<SendOutcome>({ ok: true, conversationId: 'c1', runId: 'r1' })));
  const onStop = vi.fn();
  const attachments = props.attachments ?? attachmentsState();
  const view = renderWithQueryClient(
    <Composer
      draftKey={props.draftKey ?? `test-${crypto.randomUUID()}`}
      attachments={attachments}
      running={props.running ?? false}
      onSend={onSend}
      onStop={onStop}
    />,
  );
  const box = screen.getByRole('textbox', { name: 'Message' });
  return { ...view, onSend, onStop, attachments, box };
}

describe('Composer', () => {
  beforeEach(() => {
    fakeApi({ 'GET /api/providers': () => jsonResponse(200, PROVIDERS) });
  });

  afterEach(() => {
    sessionStorage.clear();
  });

  it('sends on Enter, and Shift+Enter adds a line instead', async () => {
    const { box, onSend, attachments } = renderComposer({ attachments: attachmentsState({ readyIds: ['file-1'] }) });

    fireEvent.change(box, { target: { value: 'first line' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();

    fireEvent.change(box, { target: { value: '  first line\nsecond line  ' } });
    fireEvent.keyDown(box, { key: 'Enter' });

    await waitFor(() => expect(onSend).toHaveBeenCalledWith({ content: 'first line\nsecond line', fileIds: ['file-1'] }));
    expect(box).toHaveProperty('value', '');
    await waitFor(() => expect(attachments.clear).toHaveBeenCalled());
  });

  it('does not send an empty message or while files upload', () => {
    const { box, onSend } = renderComposer({ attachments: attachmentsState({ busy: true }) });
    fireEvent.keyDown(box, { key: 'Enter' });
    fireEvent.change(box, { target: { value: 'hello' } });
    fireEvent.keyDown(box, { key: 'Enter' });

    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Send' })).toHaveProperty('disabled', true);
    expect(screen.getByText('Waiting for the files to finish uploading…')).toBeTruthy();
  });

  it('focuses the message box on "/" unless another field is being typed in', () => {
    const { box } = renderComposer();
    const other = document.createElement('input');
    document.body.append(other);

    other.focus();
    fireEvent.keyDown(other, { key: '/' });
    expect(document.activeElement).toBe(other);

    other.blur();
    fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(box);
    other.remove();
  });

  it('offers Stop instead of Send while a run goes on, and Esc stops it', () => {
    const { onStop } = renderComposer({ running: true });

    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(onStop).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(onStop).toHaveBeenCalledTimes(2);
  });

  it('leaves Esc alone when no run goes on', () => {
    const { onStop } = renderComposer();
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(onStop).not.toHaveBeenCalled();
  });

  it('shows the server refusal next to the box, says when to retry, and gives the text back', async () => {
    const { box } = renderComposer({
      onSend: () => Promise.resolve({ ok: false, code: 'RATE_LIMITED', message: 'Too many messages: at most 20 every 60 s' }),
    });
    fireEvent.change(box, { target: { value: 'hello' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Too many messages: at most 20 every 60 s. Try again within 60 seconds.');
    expect(box).toHaveProperty('value', 'hello');
  });

  it('sends the chosen model, and nothing for Automatic', async () => {
    const { box, onSend } = renderComposer();
    const picker = screen.getByRole('combobox', { name: 'Model' });
    await screen.findByRole('option', { name: 'gpt-4.1' });
    // Only configured providers of the cascade are offered.
    expect(screen.queryByRole('option', { name: 'llama' })).toBeNull();

    fireEvent.change(picker, { target: { value: 'gpt-4.1' } });
    fireEvent.change(box, { target: { value: 'hi' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(onSend).toHaveBeenLastCalledWith({ content: 'hi', fileIds: [], model: 'gpt-4.1' }));

    fireEvent.change(picker, { target: { value: '' } });
    fireEvent.change(box, { target: { value: 'again' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(onSend).toHaveBeenLastCalledWith({ content: 'again', fileIds: [] }));
  });

  it('keeps a draft per conversation across switching', () => {
    const first = renderComposer({ draftKey: 'conversation-a' });
    fireEvent.change(first.box, { target: { value: 'half a thought' } });
    first.unmount();

    const other = renderComposer({ draftKey: 'conversation-b' });
    expect(other.box).toHaveProperty('value', '');
    other.unmount();

    expect(renderComposer({ draftKey: 'conversation-a' }).box).toHaveProperty('value', 'half a thought');
  });

  it('grows with the lines typed', () => {
    const { box } = renderComposer();
    expect(box.getAttribute('rows')).toBe('1');
    fireEvent.change(box, { target: { value: 'a\nb\nc' } });
    expect(box.getAttribute('rows')).toBe('3');
  });
});
