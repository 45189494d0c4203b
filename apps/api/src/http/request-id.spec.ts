import type { IncomingMessage, ServerResponse } from 'node:http';
import { assignRequestId } from './request-id';

function call(incoming?: string): { id: string; header: unknown } {
  let header: unknown;
  const request = { headers: incoming === undefined ? {} : { 'x-request-id': incoming } } as IncomingMessage;
  const response = { setHeader: (_name: string, value: unknown) => (header = value) } as unknown as ServerResponse;
  return { id: assignRequestId(request, response), header };
}

describe('assignRequestId', () => {
  it('keeps a well-formed incoming id and echoes it', () => {
    expect(call('trace-1234abcd')).toEqual({ id: 'trace-1234abcd', header: 'trace-1234abcd' });
  });

  it('replaces a missing or unsafe id with a fresh UUID', () => {
    for (const incoming of [undefined, 'short', 'has spaces in it', 'x'.repeat(200), 'evil\r\nSet-Cookie: a=b']) {
      const { id, header } = call(incoming);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(header).toBe(id);
    }
  });
});
