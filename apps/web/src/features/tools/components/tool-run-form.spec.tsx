import { ErrorCode } from '@aegis/contracts';
import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorBody, fakeApi, jsonResponse } from '../../../testing/fake-api';
import { renderWithRouter } from '../../../testing/render-with-router';
import type { ToolCatalogItem } from '../api/get-tools';
import catalogue from '../schema-form/tool-catalog.fixture.json';
import { ToolRunForm } from './tool-run-form';

function toolNamed(name: string): ToolCatalogItem {
  const tool = (catalogue.items as ToolCatalogItem[]).find((item) => item.name === name);
  if (!tool) throw new Error(`no ${name}`);
  return tool;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ToolRunForm', () => {
  it('checks the fields in the browser and sends nothing while one is wrong', async () => {
    const requests = fakeApi({});
    renderWithRouter(<ToolRunForm tool={toolNamed('write_file')} callerIsAdmin />);
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    expect(screen.getByText('Path is required.')).toBeTruthy();
    expect(screen.getByText('Content is required.')).toBeTruthy();
    expect(screen.getByText('A justification is required: say why this action is needed.')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('3 fields need fixing before it can run.');
    expect(document.activeElement).toBe(screen.getByLabelText(/^Path/));
    expect(screen.getByLabelText(/^Path/).getAttribute('aria-invalid')).toBe('true');
    expect(requests).toHaveLength(0);
  });

  it('sends the arguments and the justification, and shows the result like a tool card with its output capped', async () => {
    const output = Array.from({ length: 60 }, (_, index) => `line ${index}`).join('\n');
    const requests = fakeApi({
      'POST /api/tools/write_file/execute': () =>
        jsonResponse(200, {
          actionId: '48b46a25-0000-4000-8000-000000000000',
          result: {
            status: 'completed',
            actionClass: 'SENSITIVE',
            output,
            verification: { verified: true, detail: 'the file now has sha256 b1b1' },
            rollback: { available: true, kind: 'restore_file', reason: "undo restores the previous content of 'notes.txt'" },
          },
        }),
    });
    renderWithRouter(<ToolRunForm tool={toolNamed('write_file')} callerIsAdmin />);
    fireEvent.change(await screen.findByLabelText(/^Path/), { target: { value: 'notes.txt' } });
    fireEvent.change(screen.getByLabelText(/^Content/), { target: { value: 'third version\n' } });
    fireEvent.change(screen.getByLabelText(/^Justification/), { target: { value: 'Checking the generated form writes the file' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));

    const card = await screen.findByRole('article', { name: 'Tool run: write_file' });
    expect(await requests[0]?.json()).toEqual({
      args: { path: 'notes.txt', content: 'third version\n' },
      justification: 'Checking the generated form writes the file',
    });
    expect(card.getAttribute('data-status')).toBe('completed');
    expect(within(card).getByText('Verified: the file now has sha256 b1b1')).toBeTruthy();
    const shown = within(card).getByLabelText('Output');
    expect(shown.textContent?.split('\n')).toHaveLength(40);
    fireEvent.click(within(card).getByRole('button', { name: 'Show all' }));
    expect(shown.textContent?.split('\n')).toHaveLength(60);
    expect(within(card).getByText(/Can be undone: undo restores the previous content/)).toBeTruthy();
  });

  it('shows a 202 as waiting for another admin, with the countdown', async () => {
    fakeApi({
      'POST /api/tools/apt_install/execute': () =>
        jsonResponse(202, {
          approvalId: '973cfcf3-6310-4100-9f5e-312ecf146dba',
          status: 'pending',
          actionClass: 'CRITICAL',
          expiresAt: new Date(Date.now() + 300_000).toISOString(),
        }),
    });
    renderWithRouter(<ToolRunForm tool={toolNamed('apt_install')} callerIsAdmin />);
    expect(await screen.findByText('It will wait for an admin’s approval.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Packages/), { target: { value: 'jq, curl' } });
    fireEvent.change(screen.getByLabelText(/^Justification/), { target: { value: 'Install jq to read JSON logs on the host' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    const card = await screen.findByRole('article', { name: 'Tool run: apt_install' });
    expect(card.getAttribute('data-status')).toBe('awaiting-approval');
    expect(within(card).getByText('Waiting for approval by another admin')).toBeTruthy();
    expect(within(card).getByText(/^expires in [45]:\d\d$/)).toBeTruthy();
    expect(within(card).getByText('packages').nextSibling?.textContent).toBe('["jq","curl"]');
  });

  it('shows a refusal in words with the server’s details and the request id', async () => {
    fakeApi({
      'POST /api/tools/read_file/execute': () =>
        jsonResponse(422, errorBody(422, ErrorCode.InvalidArguments, 'The arguments are not valid.', ['path: no such file'])),
    });
    renderWithRouter(<ToolRunForm tool={toolNamed('read_file')} callerIsAdmin={false} />);
    fireEvent.change(await screen.findByLabelText(/^Path/), { target: { value: 'missing.txt' } });
    expect(screen.queryByLabelText(/^Justification/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    const card = await screen.findByRole('article', { name: 'Tool run: read_file' });
    expect(card.getAttribute('data-status')).toBe('refused');
    expect(within(card).getByText('The arguments are not valid for this tool.')).toBeTruthy();
    expect(within(card).getByText('path: no such file')).toBeTruthy();
    expect(within(card).getByText('req-test-1')).toBeTruthy();
  });
});
