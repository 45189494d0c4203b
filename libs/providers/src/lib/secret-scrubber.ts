/**
 * Keeps provider keys out of everything the provider layer writes: log lines, error messages,
 * status output. Known key values are replaced wherever they appear; key-shaped tokens of the
 * vendors and bearer credentials are replaced even when they are not ours (a proxy may echo one).
 */
export const REDACTED = '[redacted]';

const KEY_SHAPES: [RegExp, (match: string, ...groups: string[]) => string][] = [
  [/\b(?:sk-|sk_|gsk_|xai-)[A-Za-z0-9_-]{8,}/g, () => REDACTED],
  [/\bAIza[0-9A-Za-z_-]{12,}/g, () => REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, (_match, scheme) => `${scheme} ${REDACTED}`],
  [
    /\b(x-api-key|x-goog-api-key|api[-_]?key|key|authorization)(["']?\s*[:=]\s*["']?)(?!(?:Bearer|Basic)\s)(?!\[redacted\])[^\s"',}&]{4,}/gi,
    (_match, label, separator) => `${label}${separator}${REDACTED}`,
  ],
];

export class SecretScrubber {
  private readonly secrets: string[];

  /** Values shorter than 4 characters cannot be told apart from ordinary text and are ignored. */
  constructor(secrets: Iterable<string>) {
    this.secrets = [...new Set([...secrets].filter((secret) => secret.length >= 4))].sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    for (const [shape, replace] of KEY_SHAPES) out = out.replace(shape, replace);
    return out;
  }
}

/**
 * How a key is shown to an admin: its first three characters and last four (`sk-…abcd`), enough
 * to tell keys apart and never enough to use one. Shorter keys show less.
 */
export function maskKey(key: string): string {
  if (key.length >= 20) return `${key.slice(0, 3)}…${key.slice(-4)}`;
  if (key.length >= 10) return `…${key.slice(-2)}`;
  return '…';
}
