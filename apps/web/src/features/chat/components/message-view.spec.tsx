import { ActionClass } from '@aegis/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, jsonResponse } from '../../../testing/fake-api';
import { renderWithQueryClient } from '../../../testing/render';
import type { ChatMessageItem, ConfirmHandler, ToolCallView } from '../types';
import { MessageView, formatUsd } from './message-view';

const IMAGE_ID = '11111111-1111-4111-8111-111111111111';
const DOC_ID = '22222222-2222-4222-8222-222222222222';

function message(overrides: Partial<ChatMessageItem> = {}): ChatMessageItem {
  return {
    id: 'm-1',
    role: 'assistant',
    content: '',
    fileIds: [],
    toolCalls: [],
    provider: null,
    model: null,
    inputTokens: 0,
    outputTokens: 0,
    costMicroDollars: 0,
    runId: 'run-1',
    phase: 'completed',
    error: null,
    createdAt: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}

function toolCall(overrides: Partial<ToolCallView> = {}): ToolCallView {
  return {
    toolCallId: 'call-1',
    tool: 'list_files',
    args: { path: '.' },
    actionClass: ActionClass.Read,
    phase: 'completed',
    output: 'a.txt',
    errorCode: null,
    actionId: null,
    approval: null,
    approvalDecision: null,
    confirmation: null,
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

const noConfirm: ConfirmHandler = () => Promise.resolve(null);

function renderMessage(item: ChatMessageItem, extra: { onRegenerate?: () => void } = {}) {
  return renderWithQueryClient(<MessageView message={item} onConfirm={noConfirm} {...extra} />);
}

const HOSTILE_ANSWER = [
  'Here you go <script>alert(1)</script>',
  '<img src=x onerror="alert(2)">',
  '[x](javascript:alert(3))',
  '<a href="javascript:alert(4)">y</a>',
  '| a | b |\n|:-:|--:|\n| 1 | 2 |',
  '```js\nconst a = 1;\n```',
].join('\n\n');

describe('MessageView', () => {
  it('never lets an answer run script or carry a style attribute', () => {
    const { container } = renderMessage(
      message({ content: HOSTILE_ANSWER, toolCalls: [toolCall({ output: '<script>alert(5)</script>' })] }),
    );
    expect(container.querySelector('script, img, iframe')).toBeNull();
    expect(container.querySelector('[style]')).toBeNull();
    for (const element of container.querySelectorAll('*')) {
      for (const name of element.getAttributeNames()) {
        expect(name.startsWith('on'), `${element.tagName} ${name}`).toBe(false);
        expect(element.getAttribute(name) ?? '').not.toMatch(/^\s*javascript:/i);
      }
    }
    expect(container.textContent).toContain('<script>alert(1)</script>');
  });

  it('shows an answer with its tool cards first, then the text, the model, tokens and cost', () => {
    renderMessage(
      message({
        content: 'Found **one** file.',
        toolCalls: [toolCall(), toolCall({ toolCallId: 'call-2', tool: 'read_file' })],
        provider: 'openai',
        model: 'gpt-4o-mini',
        inputTokens: 1200,
        outputTokens: 45,
        costMicroDollars: 1234,
      }),
    );
    const answer = screen.getByRole('article', { name: 'Answer' });
    const cards = within(answer).getAllByRole('article');
    expect(cards.map((card) => card.getAttribute('aria-label'))).toEqual(['Tool call: list_files', 'Tool call: read_file']);
    expect(within(answer).getByText('one').tagName).toBe('STRONG');
    const footer = answer.querySelector('.message__footer');
    expect(footer?.textContent).toContain('openai · gpt-4o-mini');
    expect(footer?.textContent).toContain('1,200 in · 45 out tokens');
    expect(footer?.textContent).toContain('$0.0012');
    expect(within(answer).getByRole('heading', { level: 2, name: 'Answer' })).toBeTruthy();
  });

  it('shows a caret while streaming and no usage until the run ends', () => {
    const { container } = renderMessage(
      message({ content: 'Hel', phase: 'streaming', provider: 'openai', model: 'gpt-4o-mini', inputTokens: 10 }),
    );
    const answer = screen.getByRole('article', { name: 'Answer' });
    expect(answer.classList.contains('message--streaming')).toBe(true);
    expect(answer.getAttribute('aria-busy')).toBe('true');
    expect(container.querySelector('.message__caret')).not.toBeNull();
    expect(container.querySelector('.message__tokens')).toBeNull();
    expect(container.querySelector('.message__model')?.textContent).toBe('openai · gpt-4o-mini');
  });

  it('shows no caret while a tool call runs or waits on a person', () => {
    const { container } = renderMessage(
      message({ content: 'Let me look.', phase: 'streaming', toolCalls: [toolCall({ phase: 'running', output: null })] }),
    );
    expect(container.querySelector('.message__caret')).toBeNull();
    expect(container.querySelector('.message--typing')).toBeNull();
  });

  it('says it is thinking before the first token', () => {
    renderMessage(message({ phase: 'streaming' }));
    expect(screen.getByText('Thinking…')).toBeTruthy();
  });

  it.each([
    ['cancelled', 'Stopped before the end.'],
    ['failed', 'The answer failed.'],
    ['budget_exhausted', 'Stopped: the budget is used up.'],
  ] as const)('says how a %s run ended, with the error in the server words', (phase, words) => {
    renderMessage(message({ content: 'Partial', phase, error: { code: 'PROVIDER_UNAVAILABLE', message: 'No provider answered.' } }));
    expect(screen.getByText(words)).toBeTruthy();
    expect(screen.getByText('No provider answered.')).toBeTruthy();
  });

  it('offers Regenerate when asked, and the extra actions', () => {
    const onRegenerate = vi.fn();
    renderWithQueryClient(
      <MessageView
        message={message({ content: 'Hi' })}
        onConfirm={noConfirm}
        onRegenerate={onRegenerate}
        actions={<button type="button">Read aloud</button>}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Regenerate' }));
    expect(onRegenerate).toHaveBeenCalledOnce();
    expect(screen.getByRole('button', { name: 'Read aloud' })).toBeTruthy();
  });

  it('passes Confirm through to the handler from a tool card', () => {
    const onConfirm = vi.fn<ConfirmHandler>(() => Promise.resolve(null));
    const call = toolCall({
      phase: 'awaiting-confirmation',
      actionClass: ActionClass.Sensitive,
      confirmation: {
        confirmationId: 'conf-9',
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
        justification: null,
        args: { path: 'x' },
      },
    });
    renderWithQueryClient(<MessageView message={message({ phase: 'streaming', toolCalls: [call] })} onConfirm={onConfirm} />);
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(onConfirm).toHaveBeenCalledWith('conf-9', 'confirmed');
  });

  it("shows the user's words as typed (no Markdown) with image thumbnails and document chips", async () => {
    fakeApi({
      [`GET /api/uploads/${IMAGE_ID}`]: () =>
        jsonResponse(200, {
          id: IMAGE_ID,
          name: 'cat.png',
          mime: 'image/png',
          size: 2048,
          sha256: 'x',
          createdAt: '2026-01-01T10:00:00.000Z',
        }),
      [`GET /api/uploads/${DOC_ID}`]: () =>
        jsonResponse(200, {
          id: DOC_ID,
          name: 'report.pdf',
          mime: 'application/pdf',
          size: 2_500_000,
          sha256: 'y',
          createdAt: '2026-01-01T10:00:00.000Z',
        }),
    });
    const { container } = renderMessage(
      message({ role: 'user', content: '**not bold** <b>x</b>', fileIds: [IMAGE_ID, DOC_ID, 'not-a-uuid'], phase: null }),
    );
    const mine = screen.getByRole('article', { name: 'Your message' });
    expect(within(mine).getByText('**not bold** <b>x</b>')).toBeTruthy();
    expect(within(mine).getByRole('list', { name: '2 attachments' })).toBeTruthy();
    const image = await within(mine).findByRole('img', { name: 'cat.png' });
    expect(image.getAttribute('src')).toBe(`/api/uploads/${IMAGE_ID}/content`);
    await waitFor(() => expect(within(mine).getByText('report.pdf')).toBeTruthy());
    expect(within(mine).getByText('2.4 MB')).toBeTruthy();
    expect(container.querySelector('[style]')).toBeNull();
  });

  it('says when an attached file is gone', async () => {
    fakeApi({});
    renderMessage(message({ role: 'user', content: 'see file', fileIds: [IMAGE_ID], phase: null }));
    expect(await screen.findByText('File no longer available')).toBeTruthy();
  });

  it('shows a message the server refused with its words', () => {
    renderMessage(
      message({
        role: 'user',
        content: 'hi',
        phase: 'failed',
        error: { code: 'RATE_LIMITED', message: 'Too many messages; try again in 20 seconds.' },
      }),
    );
    expect(screen.getByText('Too many messages; try again in 20 seconds.')).toBeTruthy();
  });

  it('formats costs in USD', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(50)).toBe('< $0.0001');
    expect(formatUsd(1200)).toBe('$0.0012');
    expect(formatUsd(2_345_678)).toBe('$2.35');
  });
});
