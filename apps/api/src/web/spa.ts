import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

const SERVER_PATHS = /^\/(api|metrics|socket\.io)(\/|$)/;
/** A request for a file (it has an extension) that static serving did not find is a 404, not the app. */
const FILE_PATH = /\/[^/]+\.[A-Za-z0-9]+$/;

/**
 * Serves the built SPA from `webDir` on the API's own port: hashed assets cached for a year,
 * index.html never cached, and any other GET outside /api answered with index.html (client routes).
 * Returns false when there is no build to serve.
 */
export function serveSpa(app: NestExpressApplication, webDir: string): boolean {
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) return false;

  app.useStaticAssets(webDir, {
    index: false,
    setHeaders: (response: ServerResponse, path: string) => {
      const immutable = path.includes(`${join(webDir, 'assets')}/`);
      response.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (
      (request.method !== 'GET' && request.method !== 'HEAD') ||
      SERVER_PATHS.test(request.path) ||
      FILE_PATH.test(request.path) ||
      !request.accepts('html')
    ) {
      next();
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
  return true;
}
