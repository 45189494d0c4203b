import { describe, expect, it } from 'vitest';
import { usageRange, validateProvidersSearch } from './search';

describe('validateProvidersSearch', () => {
  it('leaves the defaults out of the URL', () => {
    expect(validateProvidersSearch({})).toEqual({});
    expect(validateProvidersSearch({ groupBy: 'provider', metric: 'cost', days: 30 })).toEqual({});
  });

  it('keeps a known grouping, metric and preset, from numbers or hand-typed strings', () => {
    expect(validateProvidersSearch({ groupBy: 'model', metric: 'tokens', days: 7 })).toEqual({
      groupBy: 'model',
      metric: 'tokens',
      days: 7,
    });
    expect(validateProvidersSearch({ groupBy: 'user', days: '90' })).toEqual({ groupBy: 'user', days: 90 });
  });

  it('drops what it does not know', () => {
    expect(validateProvidersSearch({ groupBy: 'conversation', metric: 'requests', days: 14 })).toEqual({});
  });

  it('keeps a chosen range only when both ends are real days in order and at most 366 days apart', () => {
    expect(validateProvidersSearch({ from: '2026-11-01', to: '2026-11-15' })).toEqual({ from: '2026-11-01', to: '2026-11-15' });
    expect(validateProvidersSearch({ from: '2026-11-15', to: '2026-11-01' })).toEqual({});
    expect(validateProvidersSearch({ from: '2026-02-30', to: '2026-03-01' })).toEqual({});
    expect(validateProvidersSearch({ from: '2026-11-01' })).toEqual({});
    expect(validateProvidersSearch({ from: '2024-12-31', to: '2026-01-01' })).toEqual({});
    expect(validateProvidersSearch({ from: '2025-01-01', to: '2026-01-01' })).toEqual({ from: '2025-01-01', to: '2026-01-01' });
  });
});

describe('usageRange', () => {
  const now = Date.parse('2026-11-29T18:00:00Z');

  it('ends a preset today (UTC), counting today', () => {
    expect(usageRange({}, now)).toEqual({ from: '2026-10-31', to: '2026-11-29', preset: 30 });
    expect(usageRange({ days: 7 }, now)).toEqual({ from: '2026-11-23', to: '2026-11-29', preset: 7 });
  });

  it('prefers a chosen range', () => {
    expect(usageRange({ days: 90, from: '2026-01-01', to: '2026-01-31' }, now)).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      preset: null,
    });
  });
});
