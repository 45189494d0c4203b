import { describe, expect, it } from 'vitest';
import { dockerSearch, tailOfSearch, validateDockerSearch } from './search';

describe('validateDockerSearch', () => {
  it('keeps a container name, a tail the view offers and a search', () => {
    expect(validateDockerSearch({ container: 'web-1', tail: 500, q: 'error' })).toEqual({ container: 'web-1', tail: 500, q: 'error' });
    expect(validateDockerSearch({ container: '4f2a9c1b7d3e', tail: '5000' })).toEqual({ container: '4f2a9c1b7d3e', tail: 5000 });
  });

  it('leaves the defaults out of the URL', () => {
    expect(validateDockerSearch({})).toEqual({});
    expect(validateDockerSearch({ tail: 100, q: '   ' })).toEqual({});
    expect(validateDockerSearch({ q: '' })).toEqual({});
  });

  it('drops what the API would refuse or the view does not offer', () => {
    expect(validateDockerSearch({ container: '../etc', tail: 200 })).toEqual({});
    expect(validateDockerSearch({ container: '-web', tail: '1e3' })).toEqual({});
    expect(validateDockerSearch({ container: 'a'.repeat(129), tail: -1 })).toEqual({});
    expect(validateDockerSearch({ container: 42, tail: true, q: { text: 'x' } })).toEqual({});
    expect(validateDockerSearch({ follow: true, other: 'x' })).toEqual({});
  });

  it('takes a numeric search as text and cuts a long one to the server limit', () => {
    expect(validateDockerSearch({ q: 404 })).toEqual({ q: '404' });
    expect(validateDockerSearch({ q: 'x'.repeat(300) }).q).toHaveLength(200);
  });

  it('gives the tail to show, and rebuilds a search without defaults', () => {
    expect(tailOfSearch({})).toBe(100);
    expect(tailOfSearch({ tail: 1000 })).toBe(1000);
    expect(dockerSearch({ container: 'web', tail: 100, q: '' })).toEqual({ container: 'web' });
    expect(dockerSearch({ container: undefined, tail: 500, q: 'warn' })).toEqual({ tail: 500, q: 'warn' });
  });
});
