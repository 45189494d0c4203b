import { ErrorCode } from '@aegis/contracts';
import { unstorableTextProblems } from '@aegis/governance';
import type { NextFunction, Request, Response } from 'express';
import { ApiException } from './api.exception';

function decodedPath(request: Request): string {
  try {
    return decodeURIComponent(request.path);
  } catch {
    return request.path;
  }
}

/**
 * Placed right after the body parsers: a NUL character or a lone UTF-16 surrogate anywhere in the
 * path, the query string or a JSON/form body is refused with 422 before any route sees it, since
 * PostgreSQL text and jsonb cannot store it and what cannot be audited must not run
 * (docs/governance.md "Audit first").
 */
export function refuseUnstorableText(request: Request, _response: Response, next: NextFunction): void {
  const problems = [
    ...unstorableTextProblems(decodedPath(request), 'path'),
    ...unstorableTextProblems(request.query, 'query'),
    ...unstorableTextProblems(request.body, 'body'),
  ];
  if (problems.length === 0) return next();
  next(
    new ApiException(
      ErrorCode.InvalidArguments,
      'The request contains characters that cannot be stored (NUL or a lone UTF-16 surrogate)',
      problems,
    ),
  );
}
