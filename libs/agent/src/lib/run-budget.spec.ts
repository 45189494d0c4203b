import { exhaustedBudget } from './run-budget';

describe('exhaustedBudget', () => {
  const limits = { maxSteps: 8, maxTokens: 10_000, deadlineMs: 60_000 };
  const startedAt = 1_000_000;

  it('lets a fresh run continue', () => {
    expect(exhaustedBudget(limits, { steps: 0, tokens: 0, startedAt }, startedAt)).toBeUndefined();
    expect(exhaustedBudget(limits, { steps: 7, tokens: 9_999, startedAt }, startedAt + 59_999)).toBeUndefined();
  });

  it('names the limit reached, steps first', () => {
    expect(exhaustedBudget(limits, { steps: 8, tokens: 0, startedAt }, startedAt)).toBe('steps');
    expect(exhaustedBudget(limits, { steps: 1, tokens: 10_000, startedAt }, startedAt)).toBe('tokens');
    expect(exhaustedBudget(limits, { steps: 1, tokens: 1, startedAt }, startedAt + 60_000)).toBe('deadline');
  });
});
