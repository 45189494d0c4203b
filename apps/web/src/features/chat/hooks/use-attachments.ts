import { useState } from 'react';

/** A file chosen for the next message, uploaded at once with visible progress. */
export interface Attachment {
  localId: string;
  name: string;
  size: number;
  type: string;
  /** An object URL for image thumbnails; null for documents. */
  previewUrl: string | null;
  /** 0..1 while uploading. */
  progress: number;
  state: 'uploading' | 'ready' | 'failed';
  /** The server's upload id once stored. */
  uploadId: string | null;
  /** The server's refusal (type, size, quota) in its words. */
  error: string | null;
}

export interface AttachmentsState {
  attachments: Attachment[];
  add: (files: Iterable<File>) => void;
  remove: (localId: string) => void;
  /** Forget every attachment (after sending). */
  clear: () => void;
  /** The upload ids ready to send with the message. */
  readyIds: string[];
  /** True while any file is still uploading: sending waits. */
  busy: boolean;
}

/** STUB (replaced by the uploads work). */
export function useAttachments(): AttachmentsState {
  const [attachments] = useState<Attachment[]>([]);
  return { attachments, add: () => undefined, remove: () => undefined, clear: () => undefined, readyIds: [], busy: false };
}
