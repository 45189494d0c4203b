import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { indexStaticFiles, type StaticFile } from './static-files';

const SERVER_PATHS = /^\/(api|metrics|socket\.io)(\/|$)/;
/** A request for a file (it has an extension) that static serving did not find is a 404, not the app. */
const FILE_PATH = /\/[^/]+\.[A-Za-z0-9]+$/;

function decodedPath(request: Request): string | undefined {
  try {
    return decodeURIComponent(request.path);
  } catch {
    return undefined;
  }
}

/** res.send answers HEAD without a body and a matching If-None-Match / If-Modified-Since with 304. */
function sendStatic(response: Response, file: StaticFile): void {
  response.setHeader('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  response.setHeader('ETag', file.etag);
  response.setHeader('Last-Modified', file.lastModified);
  response.type(file.extension);
  response.send(file.body);
}

/**
 * Serves the built SPA from `webDir` on the API's own port, from an index read once at start: hashed assets
 * cached for a year, index.html never cached, and any other GET outside /api answered with index.html (client
 * routes). API, metrics and socket.io requests pass straight through. Returns false when there is no build to serve.
 */
export function serveSpa(app: NestExpressApplication, webDir: string): boolean {
  if (!existsSync(join(webDir, 'index.html'))) return false;
  const files = indexStaticFiles(webDir);
  const index = files.get('/index.html');
  if (!index) return false;

  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || SERVER_PATHS.test(request.path)) {
      next();
      return;
    }
    const path = decodedPath(request);
    const file = path === undefined ? undefined : files.get(path);
    if (file) {
      sendStatic(response, file);
      return;
    }
    if (FILE_PATH.test(request.path) || !request.accepts('html')) {
      next();
      return;
    }
    sendStatic(response, index);
  });
  return true;
}
