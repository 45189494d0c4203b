/** One `key = value` of a git config file; section and key lower-cased, the subsection as written. */
export interface GitConfigEntry {
  section: string;
  subsection: string | undefined;
  key: string;
  /** null for a bare `key` (boolean true). */
  value: string | null;
}

/** What parseGitConfig throws for a file git would reject or this parser is not sure of. */
export class GitConfigSyntaxError extends Error {}

/**
 * Parses a git config file the way git 2.39's config.c does (sections, `[section "sub"]` and the
 * old `[section.sub]`, keys, quoting, escapes, continuation lines, comments). Whatever git would
 * reject, or this parser is not sure of (NUL, a lone CR, a key outside any section), throws.
 */
export function parseGitConfig(text: string): GitConfigEntry[] {
  if (text.includes('\0')) throw new GitConfigSyntaxError('it contains a NUL byte');
  const source = (text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/\r\n/g, '\n');
  if (source.includes('\r')) throw new GitConfigSyntaxError('it contains a carriage return outside a line end');
  const entries: GitConfigEntry[] = [];
  let pos = 0;
  let line = 1;
  const atEnd = () => pos >= source.length;
  // git reads the end of the file as a final newline.
  const next = (): string => {
    if (atEnd()) {
      pos++;
      return '\n';
    }
    const c = source[pos++];
    if (c === '\n') line++;
    return c;
  };
  const fail = (what: string): never => {
    throw new GitConfigSyntaxError(`${what} on line ${line}`);
  };
  const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f';
  const isKeyChar = (c: string) => /^[A-Za-z0-9-]$/.test(c);
  let section: { section: string; subsection: string | undefined } | undefined;
  let comment = false;

  const header = (): { section: string; subsection: string | undefined } => {
    let name = '';
    for (;;) {
      if (atEnd()) fail('an unterminated section header');
      const c = next();
      if (c === ']') return splitLegacy(name);
      if (isSpace(c)) return extendedHeader(name);
      if (!isKeyChar(c) && c !== '.') fail(`a bad character ${JSON.stringify(c)} in a section header`);
      name += c.toLowerCase();
    }
  };
  const splitLegacy = (name: string) => {
    const dot = name.indexOf('.');
    const sectionName = dot === -1 ? name : name.slice(0, dot);
    if (!/^[a-z0-9-]+$/.test(sectionName)) fail('an empty section name');
    return { section: sectionName, subsection: dot === -1 ? undefined : name.slice(dot + 1) };
  };
  const extendedHeader = (name: string) => {
    if (!/^[a-z0-9-]+$/.test(name)) fail('a section name with a subsection must be plain');
    let c: string;
    do {
      c = next();
      if (c === '\n') fail('an incomplete section header');
    } while (isSpace(c));
    if (c !== '"') fail('a subsection that is not quoted');
    let subsection = '';
    for (;;) {
      c = next();
      if (c === '\n') fail('an incomplete section header');
      if (c === '"') break;
      if (c === '\\') {
        c = next();
        if (c === '\n') fail('an incomplete section header');
      }
      subsection += c;
    }
    if (next() !== ']') fail('text after a subsection');
    return { section: name, subsection };
  };
  const value = (): string => {
    let result = '';
    let quoted = false;
    let inComment = false;
    let spaces = 0;
    for (;;) {
      const c = next();
      if (c === '\n') {
        if (quoted) fail('an unterminated quote');
        return result;
      }
      if (inComment) continue;
      if (isSpace(c) && !quoted) {
        if (result.length > 0) spaces++;
        continue;
      }
      if (!quoted && (c === ';' || c === '#')) {
        inComment = true;
        continue;
      }
      result += ' '.repeat(spaces);
      spaces = 0;
      if (c === '\\') {
        const escaped = next();
        if (escaped === '\n') continue;
        const known: Record<string, string> = { t: '\t', b: '\b', n: '\n', '\\': '\\', '"': '"' };
        if (!(escaped in known)) fail(`an unknown escape \\${escaped}`);
        result += known[escaped];
        continue;
      }
      if (c === '"') {
        quoted = !quoted;
        continue;
      }
      result += c;
    }
  };

  while (!atEnd()) {
    const c = next();
    if (c === '\n') {
      comment = false;
      continue;
    }
    if (comment || isSpace(c)) continue;
    if (c === '#' || c === ';') {
      comment = true;
      continue;
    }
    if (c === '[') {
      section = header();
      continue;
    }
    if (!/^[A-Za-z]$/.test(c)) fail(`a bad character ${JSON.stringify(c)}`);
    const current = section ?? fail('a key outside any section');
    let key = c.toLowerCase();
    let after = next();
    while (isKeyChar(after)) {
      key += after.toLowerCase();
      after = next();
    }
    while (after === ' ' || after === '\t') after = next();
    if (after === '\n') {
      entries.push({ ...current, key, value: null });
      continue;
    }
    if (after !== '=') fail(`a key '${key}' not followed by '='`);
    entries.push({ ...current, key, value: value() });
  }
  return entries;
}
