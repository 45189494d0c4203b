import { useEffect, useState } from 'react';

const SHOWN_FOR_MS = 2000;

export interface CopyButtonProps {
  /** The button's name, e.g. "Copy hash". */
  label: string;
  text: string;
}

/** Copies `text`; the button keeps its name and a polite status beside it says how it went. */
export function CopyButton({ label, text }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), SHOWN_FOR_MS);
    return () => window.clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      // No clipboard permission (or an insecure origin): say so rather than pretend.
      setState('failed');
    }
  };

  return (
    <span className="audit-copy">
      <span className="audit-copy__status" role="status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy' : ''}
      </span>
      <button type="button" className="button button--small" onClick={() => void copy()}>
        {label}
      </button>
    </span>
  );
}
