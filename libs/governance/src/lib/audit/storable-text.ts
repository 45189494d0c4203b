/**
 * PostgreSQL text and jsonb cannot hold U+0000, and jsonb refuses a lone UTF-16 surrogate (a text
 * column would silently turn it into U+FFFD, breaking the entry's hash). These helpers find such
 * characters and, for the audit log's last line of defence, spell them out as visible escapes.
 */

// In unicode mode a well-formed surrogate pair is one code point, so this matches only lone surrogates (and NUL).
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDFFF]/u;
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE_ALL = /\u0000|[\uD800-\uDFFF]/gu;

function describe(text: string): string | undefined {
  const match = UNSTORABLE.exec(text);
  if (!match) return undefined;
  return match[0] === '\u0000' ? 'a NUL character (\\u0000)' : `a lone UTF-16 surrogate (\\u${match[0].charCodeAt(0).toString(16)})`;
}

/** One line per string (or key) in `value` that PostgreSQL cannot store, naming where it is: `args.content contains a NUL character`. */
export function unstorableTextProblems(value: unknown, path = 'args'): string[] {
  if (typeof value === 'string') {
    const found = describe(value);
    return found ? [`${path} contains ${found}, which cannot be stored in the audit log`] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => unstorableTextProblems(item, `${path}[${index}]`));
  if (value === null || typeof value !== 'object' || value instanceof Date) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const keyProblem = describe(key);
    const here = keyProblem ? [`a key of ${path} contains ${keyProblem}, which cannot be stored in the audit log`] : [];
    return [...here, ...unstorableTextProblems(inner, `${path}.${key}`)];
  });
}

/** True when every string and key in `value` can be stored as PostgreSQL text/jsonb. */
export function isStorableText(value: unknown): boolean {
  return unstorableTextProblems(value).length === 0;
}

function escapeText(text: string): string {
  return text.replace(UNSTORABLE_ALL, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A copy of `value` with every unstorable character written as a visible `\uXXXX` escape (strings and keys, at any depth). */
export function storableText<T>(value: T): T {
  if (typeof value === 'string') return escapeText(value) as T;
  if (Array.isArray(value)) return value.map(storableText) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [escapeText(key), storableText(inner)])) as T;
}
