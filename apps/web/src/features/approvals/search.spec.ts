import { describe, expect, it } from 'vitest';
import { tabOf, validateApprovalsSearch } from './search';

describe('validateApprovalsSearch', () => {
  it('keeps a history tab and leaves the queue (the default) out of the URL', () => {
    expect(validateApprovalsSearch({ tab: 'approved' })).toEqual({ tab: 'approved' });
    expect(validateApprovalsSearch({ tab: 'rejected' })).toEqual({ tab: 'rejected' });
    expect(validateApprovalsSearch({ tab: 'expired' })).toEqual({ tab: 'expired' });
    expect(validateApprovalsSearch({ tab: 'pending' })).toEqual({});
    expect(validateApprovalsSearch({})).toEqual({});
  });

  it('drops what is not a tab, so a hand-edited URL opens the queue', () => {
    expect(validateApprovalsSearch({ tab: 'APPROVED' })).toEqual({});
    expect(validateApprovalsSearch({ tab: ['approved'] })).toEqual({});
    expect(validateApprovalsSearch({ tab: 1, other: 'x' })).toEqual({});
  });

  it('reads the tab a search shows', () => {
    expect(tabOf({})).toBe('pending');
    expect(tabOf({ tab: 'expired' })).toBe('expired');
  });
});
