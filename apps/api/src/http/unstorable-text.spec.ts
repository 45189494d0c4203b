import type { Request, Response } from 'express';
import { ApiException } from './api.exception';
import { refuseUnstorableText } from './unstorable-text';

function check(request: Partial<Request>): unknown {
  let passed: unknown = 'not called';
  refuseUnstorableText(
    { path: '/api/x', query: {}, body: undefined, ...request } as Request,
    {} as Response,
    (error?: unknown) => (passed = error),
  );
  return passed;
}

describe('refuseUnstorableText', () => {
  it('lets ordinary requests through, emoji and accents included', () => {
    expect(check({ body: { args: { content: 'é 😀 ok' } }, query: { q: 'ü' } })).toBeUndefined();
  });

  it('refuses a NUL or a lone surrogate in the body, the query string or the path, naming where', () => {
    const body = check({ body: { args: { content: 'a\u0000b' } } });
    expect(body).toBeInstanceOf(ApiException);
    expect(body).toMatchObject({
      code: 'INVALID_ARGUMENTS',
      details: ['body.args.content contains a NUL character (\\u0000), which cannot be stored in the audit log'],
    });
    expect(check({ query: { actor: '\u0000' } })).toMatchObject({ code: 'INVALID_ARGUMENTS' });
    expect(check({ body: { 'x\ud800': 1 } })).toMatchObject({ code: 'INVALID_ARGUMENTS' });
    expect(check({ path: '/api/tools/a%00b/execute' })).toMatchObject({ code: 'INVALID_ARGUMENTS' });
  });
});
