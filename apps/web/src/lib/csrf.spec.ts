import { describe, expect, it } from 'vitest';
import { fakeApi, jsonResponse, noContent, setCsrfCookie } from '../testing/fake-api';
import { apiClient } from './api-client';
import { readCsrfToken } from './csrf';

describe('readCsrfToken', () => {
  it('finds the csrf_token cookie among others and decodes it', () => {
    expect(readCsrfToken('theme=dark; csrf_token=abc%2Edef.123; other=x')).toBe('abc.def.123');
    expect(readCsrfToken('csrf_token_old=nope; csrf_token=yes')).toBe('yes');
  });

  it('is undefined without the cookie or with an empty one', () => {
    expect(readCsrfToken('')).toBeUndefined();
    expect(readCsrfToken('xcsrf_token=nope')).toBeUndefined();
    expect(readCsrfToken('csrf_token=')).toBeUndefined();
  });
});

describe('the CSRF middleware of apiClient', () => {
  it('echoes the csrf_token cookie in X-CSRF-Token on POST, PATCH and DELETE', async () => {
    setCsrfCookie('nonce-1.signature-1');
    const requests = fakeApi({
      'POST /api/api-keys': () => jsonResponse(201, {}),
      'PATCH /api/users/7c3f2a1e-0000-4000-8000-000000000001': () => jsonResponse(200, {}),
      'DELETE /api/api-keys/7c3f2a1e-0000-4000-8000-000000000002': noContent,
    });

    await apiClient.POST('/api/api-keys', { body: { name: 'ci' } });
    await apiClient.PATCH('/api/users/{id}', {
      params: { path: { id: '7c3f2a1e-0000-4000-8000-000000000001' } },
      body: { role: 'viewer' },
    });
    await apiClient.DELETE('/api/api-keys/{id}', { params: { path: { id: '7c3f2a1e-0000-4000-8000-000000000002' } } });

    expect(requests.map((request) => [request.method, request.headers.get('x-csrf-token')])).toEqual([
      ['POST', 'nonce-1.signature-1'],
      ['PATCH', 'nonce-1.signature-1'],
      ['DELETE', 'nonce-1.signature-1'],
    ]);
  });

  it('leaves GET requests without the header', async () => {
    setCsrfCookie('nonce-1.signature-1');
    const requests = fakeApi({ 'GET /api/api-keys': () => jsonResponse(200, { items: [] }) });

    await apiClient.GET('/api/api-keys');

    expect(requests).toHaveLength(1);
    expect(requests[0].headers.has('x-csrf-token')).toBe(false);
  });

  it('sends no header when there is no cookie (signing in)', async () => {
    const requests = fakeApi({ 'POST /api/auth/login': () => jsonResponse(401, {}) });

    await apiClient.POST('/api/auth/login', { body: { username: 'ada', password: 'x' } });

    expect(requests[0].headers.has('x-csrf-token')).toBe(false);
  });

  it('reads the cookie at each request, so a rotated token is used at once', async () => {
    const requests = fakeApi({ 'POST /api/auth/logout': noContent });

    setCsrfCookie('first.token');
    await apiClient.POST('/api/auth/logout', { body: {} });
    setCsrfCookie('second.token');
    await apiClient.POST('/api/auth/logout', { body: {} });

    expect(requests.map((request) => request.headers.get('x-csrf-token'))).toEqual(['first.token', 'second.token']);
  });
});
