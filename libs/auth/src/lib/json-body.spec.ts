import { jsonOrEmptyBody } from './json-body';

describe('jsonOrEmptyBody', () => {
  it('accepts JSON, with or without parameters, and a request without a body', () => {
    expect(jsonOrEmptyBody({ 'content-type': 'application/json' })).toBe(true);
    expect(jsonOrEmptyBody({ 'content-type': 'Application/JSON; charset=utf-8' })).toBe(true);
    expect(jsonOrEmptyBody({})).toBe(true);
    expect(jsonOrEmptyBody({ 'content-length': '0' })).toBe(true);
  });

  it('refuses what an HTML form can send, other types, and an untyped body', () => {
    expect(jsonOrEmptyBody({ 'content-type': 'application/x-www-form-urlencoded' })).toBe(false);
    expect(jsonOrEmptyBody({ 'content-type': 'multipart/form-data; boundary=x' })).toBe(false);
    expect(jsonOrEmptyBody({ 'content-type': 'text/plain' })).toBe(false);
    expect(jsonOrEmptyBody({ 'content-type': 'application/json-patch+json' })).toBe(false);
    expect(jsonOrEmptyBody({ 'content-type': '' })).toBe(false);
    expect(jsonOrEmptyBody({ 'content-length': '12' })).toBe(false);
    expect(jsonOrEmptyBody({ 'transfer-encoding': 'chunked' })).toBe(false);
  });
});
