import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Attachment } from '../hooks/use-attachments';
import { AttachButton, AttachmentTray, FileDropOverlay, filesFromPaste, useFileDrop } from './attachment-tray';

function attachment(overrides: Partial<Attachment>): Attachment {
  return {
    localId: 'local-1',
    name: 'chart.png',
    size: 2_500,
    type: 'image/png',
    previewUrl: 'blob:preview-1',
    progress: 0,
    state: 'uploading',
    uploadId: null,
    error: null,
    ...overrides,
  };
}

describe('AttachmentTray', () => {
  it('shows each file with its thumbnail or icon, size, progress and refusal, and a named remove button', () => {
    const onRemove = vi.fn();
    render(
      <AttachmentTray
        attachments={[
          attachment({ progress: 0.4 }),
          attachment({
            localId: 'local-2',
            name: 'notes.md',
            type: 'text/markdown',
            size: 800,
            previewUrl: null,
            state: 'ready',
            progress: 1,
            uploadId: 'u-2',
          }),
          attachment({
            localId: 'local-3',
            name: 'movie.mp4',
            type: 'video/mp4',
            size: 3 * 1024 * 1024,
            previewUrl: null,
            state: 'failed',
            error: 'Files of type video/mp4 are not accepted',
          }),
        ]}
        onRemove={onRemove}
      />,
    );

    const tray = screen.getByRole('list', { name: 'Attachments' });
    const [image, document, refused] = within(tray).getAllByRole('listitem');
    if (!image || !document || !refused) throw new Error('three files expected');

    const progress = within(image).getByRole('progressbar', { name: 'Uploading chart.png' });
    expect(progress).toHaveProperty('value', 0.4);
    expect(image.querySelector('img')?.getAttribute('src')).toBe('blob:preview-1');
    expect(image.textContent).toContain('2.4 KB');

    expect(within(document).queryByRole('progressbar')).toBeNull();
    expect(document.querySelector('img')).toBeNull();
    expect(document.textContent).toContain('800 bytes');

    expect(within(refused).getByRole('alert').textContent).toBe('Files of type video/mp4 are not accepted');
    expect(refused.textContent).toContain('3 MB');

    fireEvent.click(screen.getByRole('button', { name: 'Remove notes.md' }));
    expect(onRemove).toHaveBeenCalledWith('local-2');
    expect(screen.getAllByRole('button', { name: /^Remove / }).map((button) => button.getAttribute('aria-label'))).toEqual([
      'Remove chart.png',
      'Remove notes.md',
      'Remove movie.mp4',
    ]);
    // The CSP forbids inline styles: progress is the element's value, never a width.
    expect(tray.querySelector('[style]')).toBeNull();
  });

  it('renders nothing without files', () => {
    const { container } = render(<AttachmentTray attachments={[]} onRemove={vi.fn()} />);
    expect(container.innerHTML).toBe('');
  });
});

describe('AttachButton', () => {
  it('opens the chooser for the types the server takes and hands the chosen files over', () => {
    const onFiles = vi.fn();
    const { container } = render(<AttachButton onFiles={onFiles} />);
    const input = container.querySelector<HTMLInputElement>('input[type="file"]');
    if (!input) throw new Error('file input expected');
    const openChooser = vi.spyOn(input, 'click');

    fireEvent.click(screen.getByRole('button', { name: 'Attach files' }));
    expect(openChooser).toHaveBeenCalled();
    expect(input.multiple).toBe(true);
    expect(input.accept).toContain('image/png');
    expect(input.accept).toContain('application/pdf');

    const file = new File(['hello'], 'hello.txt', { type: 'text/plain' });
    fireEvent.change(input, { target: { files: [file] } });
    expect(onFiles).toHaveBeenCalledWith([file]);
  });
});

function DropZone({ onFiles }: { onFiles: (files: File[]) => void }) {
  const { dragging, dropZoneProps } = useFileDrop(onFiles);
  return (
    <div data-testid="zone" {...dropZoneProps}>
      <span>Composer</span>
      <FileDropOverlay visible={dragging} />
    </div>
  );
}

describe('useFileDrop', () => {
  it('shows "Drop files to attach" while files are dragged over, and hands dropped files over', () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} />);
    const zone = screen.getByTestId('zone');
    const file = new File(['x'], 'a.txt', { type: 'text/plain' });
    const dataTransfer = { types: ['Files'], files: [file], dropEffect: 'none' };

    fireEvent.dragEnter(zone, { dataTransfer });
    fireEvent.dragEnter(screen.getByText('Composer'), { dataTransfer });
    fireEvent.dragLeave(screen.getByText('Composer'), { dataTransfer });
    expect(screen.getByText('Drop files to attach')).toBeTruthy();

    fireEvent.drop(zone, { dataTransfer });
    expect(onFiles).toHaveBeenCalledWith([file]);
    expect(screen.queryByText('Drop files to attach')).toBeNull();
  });

  it('keeps files dropped beside the zone from taking the browser away from the app', () => {
    render(<DropZone onFiles={vi.fn()} />);
    const stray = new Event('drop', { bubbles: true, cancelable: true });
    Object.assign(stray, { dataTransfer: { types: ['Files'], files: [] } });
    document.body.dispatchEvent(stray);
    expect(stray.defaultPrevented).toBe(true);
  });

  it('leaves dragged text alone', () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} />);
    fireEvent.dragEnter(screen.getByTestId('zone'), { dataTransfer: { types: ['text/plain'], files: [] } });
    expect(screen.queryByText('Drop files to attach')).toBeNull();
  });
});

describe('filesFromPaste', () => {
  it('takes pasted files, names a screenshot by the time it came, and takes nothing from pasted text', () => {
    const screenshot = new File(['png'], 'image.png', { type: 'image/png' });
    const report = new File(['%PDF'], 'report.pdf', { type: 'application/pdf' });
    const withFiles = {
      clipboardData: {
        files: [] as File[],
        items: [
          { kind: 'file', getAsFile: () => screenshot },
          { kind: 'file', getAsFile: () => report },
        ],
      },
    };
    const withText = { clipboardData: { files: [] as File[], items: [{ kind: 'string', getAsFile: () => null }] } };

    const pasted = filesFromPaste(withFiles as unknown as ClipboardEvent, new Date(2026, 10, 29, 9, 5, 7));
    expect(pasted.map((file) => [file.name, file.type])).toEqual([
      ['Pasted image 09-05-07.png', 'image/png'],
      ['report.pdf', 'application/pdf'],
    ]);
    expect(pasted[1]).toBe(report);
    expect(filesFromPaste(withText as unknown as ClipboardEvent)).toEqual([]);
  });
});
