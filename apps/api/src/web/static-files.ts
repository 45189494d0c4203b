import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/** One file of the web build, read once at start. */
export interface StaticFile {
  body: Buffer;
  /** The extension Express maps to a Content-Type. */
  extension: string;
  /** The same weak ETag `send` derives from size and mtime, so caches stay valid across the change. */
  etag: string;
  lastModified: string;
  immutable: boolean;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Dotfiles stay unserved, as with express.static's default. */
function isHidden(urlPath: string): boolean {
  return urlPath.split('/').some((segment) => segment.startsWith('.'));
}

/**
 * Indexes the web build by URL path (`/assets/index-abc.js`): requests are answered from memory,
 * so no request, for the SPA or the API, touches the file system. Hashed assets are immutable.
 */
export function indexStaticFiles(webDir: string): ReadonlyMap<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const path of filesUnder(webDir)) {
    const urlPath = `/${relative(webDir, path).split(sep).join('/')}`;
    if (isHidden(urlPath)) continue;
    const stat = statSync(path);
    files.set(urlPath, {
      body: readFileSync(path),
      extension: extname(path),
      etag: `W/"${stat.size.toString(16)}-${stat.mtime.getTime().toString(16)}"`,
      lastModified: stat.mtime.toUTCString(),
      immutable: urlPath.startsWith('/assets/'),
    });
  }
  return files;
}
