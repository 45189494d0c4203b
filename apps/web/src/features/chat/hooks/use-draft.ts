import { useCallback, useState } from 'react';

const PREFIX = 'aegis.chat.draft.';
/** Also in memory: sessionStorage may be unavailable (privacy modes) or full. */
const drafts = new Map<string, string>();

function readDraft(key: string): string {
  const inMemory = drafts.get(key);
  if (inMemory !== undefined) return inMemory;
  try {
    return sessionStorage.getItem(PREFIX + key) ?? '';
  } catch {
    return '';
  }
}

function writeDraft(key: string, text: string): void {
  if (text === '') drafts.delete(key);
  else drafts.set(key, text);
  try {
    if (text === '') sessionStorage.removeItem(PREFIX + key);
    else sessionStorage.setItem(PREFIX + key, text);
  } catch {
    // The in-memory copy still carries the draft across conversations.
  }
}

/** The unsent text of one conversation's composer: it survives switching conversations and reloads of the tab. */
export function useDraft(key: string): [string, (text: string) => void] {
  const [text, setText] = useState(() => readDraft(key));
  const update = useCallback(
    (next: string) => {
      setText(next);
      writeDraft(key, next);
    },
    [key],
  );
  return [text, update];
}
