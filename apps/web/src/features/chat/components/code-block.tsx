import { useEffect, useState, type ReactNode } from 'react';
import './code.css';

interface CodeBlockProps {
  /** From the fence (```python); null when the block named none. */
  language: string | null;
  /** The code as plain text, for the copy button. */
  code: string;
  /** The highlighted <code> element (highlight.js token classes, coloured by code.css). */
  children: ReactNode;
}

const COPIED_FOR_MS = 2000;

/**
 * A fenced code block: its language, a "Copy code" button, and the code scrolling sideways
 * inside the block (never the page). The button keeps its name; "Copied" is a polite status beside it.
 */
export function CodeBlock({ language, code, children }: CodeBlockProps) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (copy === 'idle') return;
    const timer = window.setTimeout(() => setCopy('idle'), COPIED_FOR_MS);
    return () => window.clearTimeout(timer);
  }, [copy]);

  const copyCode = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopy('copied');
    } catch {
      // No clipboard permission (or an insecure origin): say so rather than pretend.
      setCopy('failed');
    }
  };

  return (
    <div className="code-block" data-language={language ?? 'text'}>
      <div className="code-block__header">
        <span className="code-block__language">{language ?? 'text'}</span>
        <span className="code-block__copy">
          <span className="code-block__copy-status" role="status">
            {copy === 'copied' ? 'Copied' : copy === 'failed' ? 'Could not copy' : ''}
          </span>
          <button className="button button--small code-block__copy-button" type="button" onClick={() => void copyCode()}>
            Copy code
          </button>
        </span>
      </div>
      {/* Focusable so a keyboard can scroll a wide block sideways. */}
      <pre className="code-block__pre" tabIndex={0}>
        {children}
      </pre>
    </div>
  );
}
