import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../../../lib/api-error';
import { PREVIEWABLE_IMAGE_TYPES, deleteUpload, isAbortError, uploadFile } from '../api/upload-file';

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

/** What the hook holds outside React state: how to stop an upload, what to delete, what to revoke. */
interface Tracked {
  abort: (() => void) | null;
  uploadId: string | null;
  previewUrl: string | null;
}

// Not crypto.randomUUID: it exists only on secure pages, and the id only has to be unique within this page.
let lastLocalId = 0;
const nextLocalId = (): string => `attachment-${++lastLocalId}`;

function forgetQuietly(uploadId: string): void {
  // Best effort: a failed delete only leaves the file counted in the quota, nothing the person can act on here.
  deleteUpload(uploadId).catch(() => undefined);
}

/**
 * The files for the next message: each is uploaded (POST /api/uploads) as soon as it is added,
 * with its progress; removing one stops its upload or deletes what was stored. After sending,
 * clear() forgets them without deleting, since the message now refers to them.
 */
export function useAttachments(): AttachmentsState {
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const tracked = useRef(new Map<string, Tracked>());

  const update = useCallback((localId: string, patch: Partial<Attachment>) => {
    setAttachments((list) => list.map((item) => (item.localId === localId ? { ...item, ...patch } : item)));
  }, []);

  const forget = useCallback((localId: string, { deleteStored }: { deleteStored: boolean }) => {
    const entry = tracked.current.get(localId);
    if (!entry) return;
    tracked.current.delete(localId);
    entry.abort?.();
    if (entry.previewUrl !== null) URL.revokeObjectURL(entry.previewUrl);
    if (deleteStored && entry.uploadId !== null) forgetQuietly(entry.uploadId);
  }, []);

  const add = useCallback(
    (files: Iterable<File>) => {
      const added: Attachment[] = [];
      for (const file of files) {
        const localId = nextLocalId();
        const previewUrl = PREVIEWABLE_IMAGE_TYPES.includes(file.type) ? URL.createObjectURL(file) : null;
        const task = uploadFile(file, { onProgress: (progress) => update(localId, { progress }) });
        const entry: Tracked = { abort: task.abort, uploadId: null, previewUrl };
        tracked.current.set(localId, entry);
        added.push({
          localId,
          name: file.name,
          size: file.size,
          type: file.type,
          previewUrl,
          progress: 0,
          state: 'uploading',
          uploadId: null,
          error: null,
        });
        task.promise.then(
          (upload) => {
            // Removed while its last bytes were answered: the stored file belongs to no message.
            if (tracked.current.get(localId) !== entry) return forgetQuietly(upload.id);
            entry.abort = null;
            entry.uploadId = upload.id;
            update(localId, { state: 'ready', progress: 1, uploadId: upload.id });
          },
          (error: unknown) => {
            entry.abort = null;
            if (isAbortError(error) || tracked.current.get(localId) !== entry) return;
            update(localId, { state: 'failed', error: errorMessage(error) });
          },
        );
      }
      if (added.length > 0) setAttachments((list) => [...list, ...added]);
    },
    [update],
  );

  const remove = useCallback(
    (localId: string) => {
      forget(localId, { deleteStored: true });
      setAttachments((list) => list.filter((item) => item.localId !== localId));
    },
    [forget],
  );

  const clear = useCallback(() => {
    for (const localId of [...tracked.current.keys()]) forget(localId, { deleteStored: false });
    setAttachments([]);
  }, [forget]);

  useEffect(() => {
    const entries = tracked.current;
    // Leaving the page stops uploads and frees thumbnails; stored files are kept (a message sent just now may refer to them).
    return () => {
      for (const localId of [...entries.keys()]) forget(localId, { deleteStored: false });
    };
  }, [forget]);

  const readyIds = useMemo(
    () => attachments.flatMap((item) => (item.state === 'ready' && item.uploadId !== null ? [item.uploadId] : [])),
    [attachments],
  );
  const busy = attachments.some((item) => item.state === 'uploading');

  return { attachments, add, remove, clear, readyIds, busy };
}
