import { costMicroDollars } from './cost';

describe('costMicroDollars', () => {
  const pricing = { inputPerMillion: 2.5, outputPerMillion: 10 };

  it('prices input and output tokens separately', () => {
    // 1,000 in at $2.50/M + 500 out at $10/M = $0.0025 + $0.005 = 7,500 µ$
    expect(costMicroDollars({ inputTokens: 1000, outputTokens: 500 }, pricing)).toBe(7500);
  });

  it('rounds fractions of a micro-dollar up and costs nothing for nothing', () => {
    expect(costMicroDollars({ inputTokens: 1, outputTokens: 0 }, { inputPerMillion: 0.15, outputPerMillion: 0 })).toBe(1);
    expect(costMicroDollars({ inputTokens: 0, outputTokens: 0 }, pricing)).toBe(0);
  });

  it('refuses impossible token counts', () => {
    expect(() => costMicroDollars({ inputTokens: -1, outputTokens: 0 }, pricing)).toThrow(RangeError);
    expect(() => costMicroDollars({ inputTokens: 1.5, outputTokens: 0 }, pricing)).toThrow(RangeError);
  });
});
