import { ActionClass, ErrorCode, Role } from '@aegis/contracts';
import { z } from 'zod';
import { mapFailure, resolveConfined } from '../confined-fs';
import { ExecutorException } from '../executor.types';
import { defineTool, looksBinary, workspacePathArg } from './tool-support';
import { decodeText, entryType, MAX_TEXT_BYTES, openAt, readHead } from './workspace-files';

const MAX_LISTED_ENTRIES = 1000;

export const listDirectoryTool = defineTool({
  name: 'list_directory',
  description: `Lists a directory of the workspace: name, type, size and modification time of each entry (at most ${MAX_LISTED_ENTRIES}).`,
  actionClass: ActionClass.Read,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({ path: workspacePathArg.default('.').describe('Directory relative to the workspace') }),
  async run(args, context) {
    const location = await resolveConfined(context.workspaceDir, args.path);
    try {
      const opened = await openAt(location, args.path);
      const directory = location.parent.adopt(opened);
      try {
        if (!opened.stats.isDirectory()) throw new ExecutorException(ErrorCode.ValidationFailed, `'${args.path}' is not a directory`);
        const names = (await mapFailure(directory.readdir(), args.path)).sort();
        const entries = [];
        for (const name of names.slice(0, MAX_LISTED_ENTRIES)) {
          context.signal?.throwIfAborted();
          try {
            const entry = await directory.lstat(name);
            entries.push({ name, type: entryType(entry), size: entry.size, modifiedAt: entry.mtime.toISOString() });
          } catch {
            // removed while listing
          }
        }
        return { output: { path: directory.relative, entries, truncated: names.length > MAX_LISTED_ENTRIES } };
      } finally {
        await directory.close();
      }
    } finally {
      await location.close();
    }
  },
});

export const readFileTool = defineTool({
  name: 'read_file',
  description: 'Reads a text file of the workspace (UTF-8), up to maxBytes; binary files are refused.',
  actionClass: ActionClass.Read,
  minRole: Role.Viewer,
  argsSchema: z.strictObject({
    path: workspacePathArg.describe('File relative to the workspace'),
    maxBytes: z
      .number()
      .int()
      .min(1)
      .max(MAX_TEXT_BYTES)
      .default(64 * 1024),
  }),
  async run(args, context) {
    const location = await resolveConfined(context.workspaceDir, args.path);
    try {
      const { bytes, size } = await readHead(location, args.path, args.maxBytes);
      if (looksBinary(bytes)) throw new ExecutorException(ErrorCode.UnsupportedMediaType, `'${args.path}' is a binary file`);
      const truncated = size > bytes.length;
      return { output: { path: location.relative, size, content: decodeText(bytes, truncated), truncated } };
    } finally {
      await location.close();
    }
  },
});
