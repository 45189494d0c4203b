import { useState } from 'react';
import './tool-output.css';

/** Output beyond this many lines or characters waits behind "Show all". */
export const OUTPUT_LINE_CAP = 40;
export const OUTPUT_CHAR_CAP = 4096;
/** A structured value up to this long stays on one line. */
const ONE_LINE_CHARS = 160;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as text: short structures on one line, longer ones indented. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  const compact = JSON.stringify(value) as string | undefined;
  if (compact === undefined) return String(value);
  return compact.length <= ONE_LINE_CHARS ? compact : JSON.stringify(value, null, 2);
}

/** A tool's output as text: strings as they are, an object key by key (multi-line strings as blocks). */
export function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (isRecord(output)) {
    return Object.entries(output)
      .map(([key, value]) =>
        typeof value === 'string' && value.includes('\n') ? `${key}:\n${value.replace(/\n$/, '')}` : `${key}: ${valueText(value)}`,
      )
      .join('\n');
  }
  return valueText(output);
}

/** The first OUTPUT_LINE_CAP lines, at most OUTPUT_CHAR_CAP characters; null when nothing is cut. */
export function capOutput(text: string): string | null {
  const lines = text.split('\n');
  if (lines.length <= OUTPUT_LINE_CAP && text.length <= OUTPUT_CHAR_CAP) return null;
  return lines.slice(0, OUTPUT_LINE_CAP).join('\n').slice(0, OUTPUT_CHAR_CAP);
}

/**
 * A tool's output, the same in a chat's tool card and in a run from the Tools page: monospace,
 * collapsible, capped with "Show all".
 */
export function ToolOutput({ output }: { output: unknown }) {
  const [open, setOpen] = useState(true);
  const [showAll, setShowAll] = useState(false);
  const text = outputText(output);
  const capped = capOutput(text);
  const lineCount = text.split('\n').length;
  return (
    <details className="tool-output" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="tool-output__summary">
        Output <span className="muted">({lineCount === 1 ? '1 line' : `${lineCount} lines`})</span>
      </summary>
      <pre className="tool-output__text" tabIndex={0} aria-label="Output">
        {capped !== null && !showAll ? capped : text}
      </pre>
      {capped !== null ? (
        <p className="tool-output__more">
          <span className="muted">{showAll ? `All ${lineCount} lines shown.` : `Showing the first part of ${lineCount} lines.`}</span>
          <button className="button button--small" type="button" aria-expanded={showAll} onClick={() => setShowAll(!showAll)}>
            {showAll ? 'Show less' : 'Show all'}
          </button>
        </p>
      ) : null}
    </details>
  );
}
