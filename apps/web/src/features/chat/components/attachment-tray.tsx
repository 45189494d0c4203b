import type { Attachment } from '../hooks/use-attachments';

/** STUB (replaced by the uploads work): the files chosen for the next message. */
export function AttachmentTray({ attachments }: { attachments: Attachment[]; onRemove: (localId: string) => void }) {
  if (attachments.length === 0) return null;
  return <ul aria-label="Attachments">{attachments.map((attachment) => <li key={attachment.localId}>{attachment.name}</li>)}</ul>;
}

/** STUB: opens the file chooser. */
export function AttachButton({ disabled }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  return (
    <button type="button" className="button button--small" disabled={disabled}>
      Attach files
    </button>
  );
}
