import { ActionClass, Role } from '@aegis/contracts';
import { z } from 'zod';
import { type ConfinedDirectory, type ConfinedEntry, readUpTo, resolveConfined } from '../confined-fs';
import { defineTool, looksBinary, workspacePathArg } from './tool-support';
import { MAX_TEXT_BYTES, openAt, READ_FLAGS } from './workspace-files';

const MAX_SEARCHED_FILES = 20_000;
const MAX_SEARCHED_BYTES = 64 * 1024 * 1024;
const MAX_MATCH_LINE_CHARS = 300;
/** Folders deeper than this are not searched (each level holds a descriptor open). */
const MAX_SEARCH_DEPTH = 256;

interface SearchMatch {
  path: string;
  line: number;
  text: string;
}

/** Lines of `content` containing `pattern` literally (no regular expression: no ReDoS). */
function findLiteralMatches(content: string, pattern: string, ignoreCase: boolean): { line: number; text: string }[] {
  const needle = ignoreCase ? pattern.toLowerCase() : pattern;
  const matches: { line: number; text: string }[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    const haystack = ignoreCase ? line.toLowerCase() : line;
    if (haystack.includes(needle))
      matches.push({ line: i + 1, text: line.length > MAX_MATCH_LINE_CHARS ? `${line.slice(0, MAX_MATCH_LINE_CHARS)}…` : line });
  }
  return matches;
}

export const searchFilesTool = defineTool({
  name: 'search_files',
  description:
    'Finds lines containing a plain-text pattern (not a regular expression) in the text files under a workspace path. ' +
    'Symbolic links and .git folders are not followed; files over 1 MiB and binary files are skipped; ' +
    'at most 20 000 files or 64 MiB are read (then truncated is true).',
  actionClass: ActionClass.Read,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({
    path: workspacePathArg.default('.').describe('File or directory relative to the workspace'),
    pattern: z.string().min(1).max(200).describe('Plain text to look for'),
    maxResults: z.number().int().min(1).max(1000).default(100),
    ignoreCase: z.boolean().default(false),
  }),
  async run(args, context) {
    const location = await resolveConfined(context.workspaceDir, args.path);
    const search: SearchState = {
      pattern: args.pattern,
      ignoreCase: args.ignoreCase,
      maxResults: args.maxResults,
      signal: context.signal,
      matches: [],
      filesSearched: 0,
      bytesSearched: 0,
      done: false,
      truncated: false,
    };
    try {
      const start = await openAt(location, args.path);
      if (start.stats.isDirectory()) {
        const directory = location.parent.adopt(start);
        try {
          await searchDirectory(directory, 0, search);
        } finally {
          await directory.close();
        }
      } else {
        try {
          await searchFile(start, location.relative, search);
        } finally {
          await start.handle.close();
        }
      }
    } finally {
      await location.close();
    }
    return { output: { matches: search.matches, filesSearched: search.filesSearched, truncated: search.truncated } };
  },
});

interface SearchState {
  readonly pattern: string;
  readonly ignoreCase: boolean;
  readonly maxResults: number;
  readonly signal?: AbortSignal;
  matches: SearchMatch[];
  filesSearched: number;
  bytesSearched: number;
  /** A limit was reached: stop everywhere. */
  done: boolean;
  truncated: boolean;
}

/** Searches one opened file (skipped unless a regular text file within the limits). */
async function searchFile(file: ConfinedEntry, relativePath: string, search: SearchState): Promise<void> {
  const { stats } = file;
  if (!stats.isFile() || stats.size > MAX_TEXT_BYTES) return;
  if (search.filesSearched >= MAX_SEARCHED_FILES || search.bytesSearched + stats.size > MAX_SEARCHED_BYTES) {
    search.truncated = true;
    search.done = true;
    return;
  }
  search.filesSearched++;
  search.bytesSearched += stats.size;
  const bytes = await readUpTo(file.handle, stats.size).catch(() => undefined);
  if (!bytes || looksBinary(bytes)) return;
  for (const match of findLiteralMatches(bytes.toString('utf8'), search.pattern, search.ignoreCase)) {
    if (search.matches.length >= search.maxResults) {
      search.truncated = true;
      search.done = true;
      return;
    }
    search.matches.push({ path: relativePath, ...match });
  }
}

/**
 * Depth first in name order, each folder and file opened through its parent's descriptor without
 * following links (links, .git folders and whatever vanished meanwhile are skipped).
 */
async function searchDirectory(directory: ConfinedDirectory, depth: number, search: SearchState): Promise<void> {
  const names = (await directory.readdir().catch(() => [] as string[])).sort();
  for (const name of names) {
    if (search.done) return;
    search.signal?.throwIfAborted();
    if (name === '.git') continue;
    const entry = await directory.lstat(name).catch(() => undefined);
    if (entry?.isDirectory()) {
      if (depth + 1 > MAX_SEARCH_DEPTH) {
        search.truncated = true;
        continue;
      }
      const child = await directory.openDirectory(name).catch(() => undefined);
      if (!child) continue;
      try {
        await searchDirectory(child, depth + 1, search);
      } finally {
        await child.close();
      }
    } else if (entry?.isFile() && entry.size <= MAX_TEXT_BYTES) {
      const file = await directory.open(name, READ_FLAGS).catch(() => undefined);
      if (!file) continue;
      try {
        await searchFile(file, directory.relativeOf(name), search);
      } finally {
        await file.handle.close();
      }
    }
  }
}
