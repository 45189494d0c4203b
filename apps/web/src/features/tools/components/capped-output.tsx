import { useState } from 'react';

/** Output beyond this many lines or characters waits behind "Show all" (as in the chat's tool cards). */
export const OUTPUT_LINE_CAP = 40;
export const OUTPUT_CHAR_CAP = 4096;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A tool's output as text: strings as they are, an object key by key (multi-line strings as blocks). */
export function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (isRecord(output)) {
    return Object.entries(output)
      .map(([key, value]) =>
        typeof value === 'string' && value.includes('\n')
          ? `${key}:\n${value.replace(/\n$/, '')}`
          : `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
      )
      .join('\n');
  }
  return JSON.stringify(output, null, 2) ?? String(output);
}

/** Monospace output, capped, with "Show all". */
export function CappedOutput({ output }: { output: unknown }) {
  const [showAll, setShowAll] = useState(false);
  const text = outputText(output);
  const lines = text.split('\n');
  const capped =
    lines.length > OUTPUT_LINE_CAP || text.length > OUTPUT_CHAR_CAP
      ? lines.slice(0, OUTPUT_LINE_CAP).join('\n').slice(0, OUTPUT_CHAR_CAP)
      : null;
  return (
    <div className="run-card__output">
      <p className="run-card__output-title">
        Output <span className="muted">({lines.length === 1 ? '1 line' : `${lines.length} lines`})</span>
      </p>
      <pre className="run-card__output-text" tabIndex={0} aria-label="Output">
        {capped !== null && !showAll ? capped : text}
      </pre>
      {capped !== null ? (
        <p className="run-card__output-more">
          <span className="muted">{showAll ? `All ${lines.length} lines shown.` : `Showing the first part of ${lines.length} lines.`}</span>
          <button className="button button--small" type="button" aria-expanded={showAll} onClick={() => setShowAll(!showAll)}>
            {showAll ? 'Show less' : 'Show all'}
          </button>
        </p>
      ) : null}
    </div>
  );
}
