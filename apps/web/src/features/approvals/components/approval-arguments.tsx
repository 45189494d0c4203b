import { useId, useState } from 'react';

/** A string longer than this is cut in the folded view. */
export const LONG_VALUE_CHARS = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The arguments with every long string cut short and saying how much was left out; `folded` says whether anything was. */
export function foldLongValues(value: unknown, limit = LONG_VALUE_CHARS): { value: unknown; folded: boolean } {
  if (typeof value === 'string') {
    if (value.length <= limit) return { value, folded: false };
    return { value: `${value.slice(0, limit)}… (${value.length - limit} more characters)`, folded: true };
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => foldLongValues(item, limit));
    return { value: items.map((item) => item.value), folded: items.some((item) => item.folded) };
  }
  if (isRecord(value)) {
    const entries = Object.entries(value).map(([key, item]) => [key, foldLongValues(item, limit)] as const);
    return { value: Object.fromEntries(entries.map(([key, item]) => [key, item.value])), folded: entries.some(([, item]) => item.folded) };
  }
  return { value, folded: false };
}

export interface ApprovalArgumentsProps {
  args: Record<string, unknown>;
  argsSha256: string;
}

/** The exact arguments an approval runs, as pretty JSON; long values are folded until asked for. */
export function ApprovalArguments({ args, argsSha256 }: ApprovalArgumentsProps) {
  const [unfolded, setUnfolded] = useState(false);
  const preId = useId();
  const folded = foldLongValues(args);
  const shown = folded.folded && !unfolded ? folded.value : args;
  return (
    <section className="approval-args" aria-label="Arguments">
      <div className="approval-args__header">
        <h3 className="approval-args__title">Arguments</h3>
        {folded.folded ? (
          <button
            className="button button--small button--link"
            type="button"
            aria-expanded={unfolded}
            aria-controls={preId}
            onClick={() => setUnfolded(!unfolded)}
          >
            {unfolded ? 'Fold long values' : 'Show full values'}
          </button>
        ) : null}
      </div>
      {/* Focusable so a keyboard can scroll a wide value. */}
      <pre id={preId} className="approval-args__json" tabIndex={0} aria-label="Arguments as JSON">
        {JSON.stringify(shown, null, 2)}
      </pre>
      <p className="approval-args__hash muted">
        sha256 <span className="mono">{argsSha256}</span>
      </p>
    </section>
  );
}
