/** One line of a container's log as the view keeps it: its text (colour codes removed) and a key that never repeats. */
export interface LogLine {
  seq: number;
  text: string;
}

/**
 * ANSI escape sequences: CSI (colours, cursor moves: ESC [ … final byte), OSC (titles, links:
 * ESC ] … BEL or ESC \) and the two-byte escapes. Containers colour their output for terminals.
 */
// eslint-disable-next-line no-control-regex -- matching the escape character is the point
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

/** The text without terminal colour and control sequences (and without a carriage return at the end). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(/\r$/, '');
}

/** The lines of a logs answer (each ends in a newline), without the empty one after the last. */
export function splitLogText(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Numbers lines from `firstSeq` on, stripping their colour codes. */
export function toLogLines(texts: readonly string[], firstSeq: number): LogLine[] {
  return texts.map((text, index) => ({ seq: firstSeq + index, text: stripAnsi(text) }));
}

/** `buffer` with `added` at its end, keeping only the newest `max` lines; `dropped` counts what fell off the front. */
export function appendCapped(buffer: readonly LogLine[], added: readonly LogLine[], max: number): { lines: LogLine[]; dropped: number } {
  const all = buffer.length === 0 ? [...added] : [...buffer, ...added];
  const dropped = Math.max(0, all.length - max);
  return { lines: dropped > 0 ? all.slice(dropped) : all, dropped };
}

/** The lines containing `search`, ignoring case (like the server's `search`); all of them for an empty search. */
export function filterLines(lines: readonly LogLine[], search: string): readonly LogLine[] {
  const needle = search.toLowerCase();
  if (needle === '') return lines;
  return lines.filter((line) => line.text.toLowerCase().includes(needle));
}

/** A line cut around each occurrence of `search` (ignoring case): the odd parts are the matches. */
export function splitOnMatches(text: string, search: string): string[] {
  if (search === '') return [text];
  const parts: string[] = [];
  const haystack = text.toLowerCase();
  const needle = search.toLowerCase();
  let from = 0;
  let at = haystack.indexOf(needle);
  while (at >= 0) {
    parts.push(text.slice(from, at), text.slice(at, at + needle.length));
    from = at + needle.length;
    at = haystack.indexOf(needle, from);
  }
  parts.push(text.slice(from));
  return parts;
}
