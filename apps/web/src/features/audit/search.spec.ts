import { describe, expect, it } from 'vitest';
import { auditExportHref } from './api/export-audit';
import { auditFilterQuery, filtersOf, hasFilters, isCalendarDay, validateAuditSearch } from './search';

describe('validateAuditSearch', () => {
  it('keeps good values as they are', () => {
    expect(
      validateAuditSearch({
        actor: 'alice',
        action: 'tool.*',
        class: 'CRITICAL',
        decision: 'refused',
        from: '2026-11-01',
        to: '2026-11-29',
        entry: 812,
      }),
    ).toEqual({
      actor: 'alice',
      action: 'tool.*',
      class: 'CRITICAL',
      decision: 'refused',
      from: '2026-11-01',
      to: '2026-11-29',
      entry: 812,
    });
  });

  it('omits every default: an empty search stays empty, blank text is dropped', () => {
    expect(validateAuditSearch({})).toEqual({});
    const search = validateAuditSearch({ actor: '   ', action: '', class: '', decision: '', from: '', to: '' });
    expect(search).toEqual({});
    expect(Object.keys(search)).toHaveLength(0);
  });

  it('drops values it cannot read instead of refusing the page', () => {
    expect(
      validateAuditSearch({
        actor: { name: 'alice' },
        action: 'x'.repeat(129),
        class: 'HARMLESS',
        decision: 'DROP TABLE; --',
        from: '2026-02-30',
        to: 'yesterday',
        entry: -3,
        cursor: 'abc',
      }),
    ).toEqual({});
    expect(validateAuditSearch({ entry: 1.5 })).toEqual({});
    expect(validateAuditSearch({ entry: Number.MAX_SAFE_INTEGER + 2 })).toEqual({});
    expect(validateAuditSearch({ class: ['READ'] })).toEqual({});
  });

  it('reads what the router turned into numbers or quoted strings as text and ids', () => {
    expect(validateAuditSearch({ actor: 42, entry: '812' })).toEqual({ actor: '42', entry: 812 });
  });

  it('trims text, upper-cases a class, lower-cases a decision, and swaps a backwards range', () => {
    expect(validateAuditSearch({ actor: '  bob ', class: 'sensitive', decision: 'Allowed', from: '2026-11-29', to: '2026-11-01' })).toEqual(
      {
        actor: 'bob',
        class: 'SENSITIVE',
        decision: 'allowed',
        from: '2026-11-01',
        to: '2026-11-29',
      },
    );
  });
});

describe('isCalendarDay', () => {
  it('accepts real days only', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2026-02-29')).toBe(false);
    expect(isCalendarDay('2026-13-01')).toBe(false);
    expect(isCalendarDay('2026-1-01')).toBe(false);
    expect(isCalendarDay('2026-11-01T00:00:00Z')).toBe(false);
  });
});

describe('filters', () => {
  it('filtersOf leaves the open entry out; hasFilters says whether any filter is set', () => {
    expect(filtersOf({ actor: 'alice', entry: 3 })).toEqual({ actor: 'alice' });
    expect(hasFilters(filtersOf({ entry: 3 }))).toBe(false);
    expect(hasFilters({ decision: 'refused' })).toBe(true);
  });

  it('auditFilterQuery turns days into the whole of those days in local time, inclusive', () => {
    expect(
      auditFilterQuery({ actor: 'alice', action: 'tool.*', class: 'READ', decision: 'allowed', from: '2026-11-01', to: '2026-11-02' }),
    ).toEqual({
      actor: 'alice',
      action: 'tool.*',
      class: 'READ',
      decision: 'allowed',
      from: new Date(2026, 10, 1, 0, 0, 0, 0).toISOString(),
      to: new Date(2026, 10, 2, 23, 59, 59, 999).toISOString(),
    });
    expect(auditFilterQuery({})).toEqual({});
  });
});

describe('auditExportHref', () => {
  it('carries the format and every current filter', () => {
    const url = new URL(
      auditExportHref({ actor: 'alice', class: 'CRITICAL', decision: 'refused', from: '2026-11-01', to: '2026-11-29' }, 'csv'),
      'http://aegis.test',
    );
    expect(url.pathname).toBe('/api/audit/export');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      format: 'csv',
      actor: 'alice',
      class: 'CRITICAL',
      decision: 'refused',
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 10, 29, 23, 59, 59, 999).toISOString(),
    });
  });

  it('is the whole chain without filters', () => {
    expect(auditExportHref({}, 'ndjson')).toBe('/api/audit/export?format=ndjson');
  });
});
