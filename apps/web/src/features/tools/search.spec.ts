import { describe, expect, it } from 'vitest';
import { actionsQuery, validateActionsSearch, validateToolsSearch } from './search';

describe('validateToolsSearch', () => {
  it('keeps a tool name and drops anything else', () => {
    expect(validateToolsSearch({ tool: 'write_file' })).toEqual({ tool: 'write_file' });
    expect(validateToolsSearch({})).toEqual({});
    expect(validateToolsSearch({ tool: 'Write File' })).toEqual({});
    expect(validateToolsSearch({ tool: 42 })).toEqual({});
  });
});

describe('validateActionsSearch', () => {
  it('keeps every known filter', () => {
    expect(
      validateActionsSearch({
        actor: ' alice ',
        tool: 'write_file',
        class: 'SENSITIVE',
        status: 'completed',
        verification: 'verified',
        rollbackable: 'true',
        from: '2026-11-01',
        to: '2026-11-29',
      }),
    ).toEqual({
      actor: 'alice',
      tool: 'write_file',
      class: 'SENSITIVE',
      status: 'completed',
      verification: 'verified',
      rollbackable: true,
      from: '2026-11-01',
      to: '2026-11-29',
    });
  });

  it('reads rollbackable from booleans and words, both ways', () => {
    expect(validateActionsSearch({ rollbackable: false })).toEqual({ rollbackable: false });
    expect(validateActionsSearch({ rollbackable: 'false' })).toEqual({ rollbackable: false });
    expect(validateActionsSearch({ rollbackable: 'maybe' })).toEqual({});
  });

  it('drops unknown values, empty words and impossible days', () => {
    expect(
      validateActionsSearch({
        actor: '  ',
        tool: 'rm -rf',
        class: 'HUGE',
        status: 'pending',
        verification: 'yes',
        from: '2026-02-30',
        to: 'yesterday',
        cursor: 'abc',
      }),
    ).toEqual({});
  });

  it('drops an end before the start', () => {
    expect(validateActionsSearch({ from: '2026-11-10', to: '2026-11-01' })).toEqual({ from: '2026-11-10' });
  });
});

describe('actionsQuery', () => {
  it('sends whole UTC days and leaves unset filters out', () => {
    expect(actionsQuery({ from: '2026-11-01', to: '2026-11-02', rollbackable: false })).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-02T23:59:59.999Z',
      rollbackable: false,
    });
    expect(actionsQuery({})).toEqual({});
  });
});
