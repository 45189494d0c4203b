import { type ClipboardEvent as ReactClipboardEvent, type DragEvent, useCallback, useEffect, useRef, useState } from 'react';
import { formatBytes } from '../../../lib/format';
import { ACCEPTED_UPLOAD_TYPES } from '../api/upload-file';
import type { Attachment } from '../hooks/use-attachments';
import './attachment-tray.css';

function DocumentIcon() {
  return (
    <svg className="attachment__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinejoin="round"
      />
      <path d="M14 3v5h5M9 13h6M9 17h4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function PaperclipIcon() {
  return (
    <svg className="attach-button__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M20 11.5l-7.8 7.8a5 5 0 0 1-7.1-7.1l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function AttachmentItem({ attachment, onRemove }: { attachment: Attachment; onRemove: (localId: string) => void }) {
  const { localId, name, size, previewUrl, progress, state, error } = attachment;
  const errorId = `attachment-error-${localId}`;
  return (
    <li className={`attachment attachment--${state}`} aria-describedby={error === null ? undefined : errorId}>
      {previewUrl === null ? <DocumentIcon /> : <img className="attachment__thumbnail" src={previewUrl} alt="" />}
      <div className="attachment__body">
        <span className="attachment__name" title={name}>
          {name}
        </span>
        <span className="attachment__size">{formatBytes(size)}</span>
        {state === 'uploading' && <progress className="attachment__progress" max={1} value={progress} aria-label={`Uploading ${name}`} />}
        {error !== null && (
          <p id={errorId} className="attachment__error" role="alert">
            {error}
          </p>
        )}
      </div>
      <button
        type="button"
        className="attachment__remove"
        aria-label={`Remove ${name}`}
        title={`Remove ${name}`}
        onClick={() => onRemove(localId)}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M6 6l12 12M18 6L6 18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
      </button>
    </li>
  );
}

/** The files chosen for the next message: thumbnail or icon, name, size, upload progress, the server's refusal, remove. */
export function AttachmentTray({ attachments, onRemove }: { attachments: Attachment[]; onRemove: (localId: string) => void }) {
  if (attachments.length === 0) return null;
  return (
    <ul className="attachment-tray" aria-label="Attachments">
      {attachments.map((attachment) => (
        <AttachmentItem key={attachment.localId} attachment={attachment} onRemove={onRemove} />
      ))}
    </ul>
  );
}

/** Opens the file chooser (several files, of the types the server accepts). */
export function AttachButton({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="button button--small attach-button"
        disabled={disabled}
        title="Attach files"
        onClick={() => input.current?.click()}
      >
        <PaperclipIcon />
        <span className="visually-hidden">Attach files</span>
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept={ACCEPTED_UPLOAD_TYPES}
        aria-label="Files to attach"
        tabIndex={-1}
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          // Cleared so that choosing the same file again (after removing it) fires change once more.
          event.currentTarget.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}

interface FileDropZoneProps {
  onDragEnter: (event: DragEvent<HTMLElement>) => void;
  onDragOver: (event: DragEvent<HTMLElement>) => void;
  onDragLeave: (event: DragEvent<HTMLElement>) => void;
  onDrop: (event: DragEvent<HTMLElement>) => void;
}

interface FileDrop {
  /** True while files are dragged over the zone: show <FileDropOverlay />. */
  dragging: boolean;
  /** Spread on the element that takes the drop (the composer or the whole thread). */
  dropZoneProps: FileDropZoneProps;
}

function carriesFiles(event: { dataTransfer: DataTransfer | null }): boolean {
  return event.dataTransfer !== null && [...event.dataTransfer.types].includes('Files');
}

/** Files dropped beside the zone would make the browser leave the app to open them: refuse such drops instead. */
function refuseStrayFileDrop(event: globalThis.DragEvent): void {
  if (!carriesFiles(event) || event.defaultPrevented) return;
  event.preventDefault();
  if (event.type === 'dragover' && event.dataTransfer) event.dataTransfer.dropEffect = 'none';
}

/** Drag and drop of files onto an element; text or links dragged over it are left to the browser. */
export function useFileDrop(onFiles: (files: File[]) => void): FileDrop {
  const [dragging, setDragging] = useState(false);
  // dragenter and dragleave fire for every child crossed: count them so that the overlay does not flicker.
  const depth = useRef(0);

  useEffect(() => {
    window.addEventListener('dragover', refuseStrayFileDrop);
    window.addEventListener('drop', refuseStrayFileDrop);
    return () => {
      window.removeEventListener('dragover', refuseStrayFileDrop);
      window.removeEventListener('drop', refuseStrayFileDrop);
    };
  }, []);

  const onDragEnter = useCallback((event: DragEvent<HTMLElement>) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth.current += 1;
    setDragging(true);
  }, []);

  const onDragOver = useCallback((event: DragEvent<HTMLElement>) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDragLeave = useCallback((event: DragEvent<HTMLElement>) => {
    if (!carriesFiles(event)) return;
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragging(false);
  }, []);

  const onDrop = useCallback(
    (event: DragEvent<HTMLElement>) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      const files = [...event.dataTransfer.files];
      if (files.length > 0) onFiles(files);
    },
    [onFiles],
  );

  return { dragging, dropZoneProps: { onDragEnter, onDragOver, onDragLeave, onDrop } };
}

/** Shown over the drop zone while files are dragged onto it; place it inside a positioned zone. */
export function FileDropOverlay({ visible }: { visible: boolean }) {
  if (!visible) return null;
  return (
    <div className="file-drop-overlay">
      <span className="file-drop-overlay__label">Drop files to attach</span>
    </div>
  );
}

/** Browsers call every pasted screenshot "image.png": a time in its name tells several apart. */
function namePastedImage(file: File, at: Date): File {
  const generic = /^image\.(\w+)$/.exec(file.name);
  if (!generic) return file;
  const time = [at.getHours(), at.getMinutes(), at.getSeconds()].map((part) => String(part).padStart(2, '0')).join('-');
  return new File([file], `Pasted image ${time}.${generic[1] ?? 'png'}`, { type: file.type, lastModified: file.lastModified });
}

/**
 * The files in a paste (a screenshot, files copied in the file manager); empty for text. The
 * composer calls preventDefault only when files came, so pasted text still lands in the box.
 */
export function filesFromPaste(event: ReactClipboardEvent | ClipboardEvent, at = new Date()): File[] {
  const data = event.clipboardData;
  if (!data) return [];
  const files =
    data.files.length > 0
      ? [...data.files]
      : [...data.items].flatMap((item) => {
          const file = item.kind === 'file' ? item.getAsFile() : null;
          return file ? [file] : [];
        });
  return files.map((file) => namePastedImage(file, at));
}
