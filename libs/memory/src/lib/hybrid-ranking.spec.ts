import { fuseRankings } from './hybrid-ranking';

describe('fuseRankings', () => {
  it('ranks an item found by both searches above items found by one', () => {
    const fullText = ['a', 'b', 'c'];
    const vector = ['d', 'c', 'e'];
    expect(fuseRankings([fullText, vector])[0]).toBe('c');
  });

  it('keeps a single list in order and honours the limit', () => {
    expect(fuseRankings([['x', 'y', 'z']])).toEqual(['x', 'y', 'z']);
    expect(fuseRankings([['x', 'y', 'z']], 2)).toEqual(['x', 'y']);
  });

  it('returns nothing for no results', () => {
    expect(fuseRankings([[], []])).toEqual([]);
  });
});
