import { ErrorCode } from '@aegis/contracts';
import { answer, cascadeOf, collect, request, ScriptedAdapter, settingsWith, textOf } from './cascade-test-fixtures';

// Budgets and prices in the cascade (docs/providers.md "Budgets"); the fall-over itself is provider-cascade.spec.ts.

describe('ProviderCascade budgets', () => {
  function budgeted(mode: 'enforce' | 'warn') {
    const settings = settingsWith();
    return { ...settings, budget: { ...settings.budget, userMicroDollars: 1_000, mode } };
  }

  it('refuses a user past the budget with BUDGET_EXCEEDED and calls no provider', async () => {
    const openai = new ScriptedAdapter('openai', [], answer(['paid'], { inputTokens: 2_000, outputTokens: 500 }));
    const { cascade } = cascadeOf([openai], budgeted('enforce'));
    // 2,000 × 0.40 + 500 × 1.60 = 1,600 µ$: the first call passes the 1,000 µ$ budget.
    expect(textOf(await collect(cascade.stream(request)))).toBe('paid');
    const [event] = await collect(cascade.stream(request));
    expect(event).toMatchObject({ type: 'error', error: { code: ErrorCode.BudgetExceeded } });
    expect(event.type === 'error' && event.error.retryAfterSeconds).toBeGreaterThan(0);
    expect(openai.requests).toHaveLength(1);
    expect(textOf(await collect(cascade.stream({ ...request, userId: 'someone-else' })))).toBe('paid');
  });

  it('refuses a chosen model without a price while a budget is enforced, and calls no provider (item 17)', async () => {
    const openai = new ScriptedAdapter('openai', [], answer(['free']));
    const { cascade, store } = cascadeOf([openai], budgeted('enforce'));
    const events = await collect(cascade.stream({ ...request, model: 'gpt-unpriced' }));
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ code: ErrorCode.BudgetModelUnpriced }) as unknown }]);
    expect(events[0].type === 'error' && events[0].error.message).toMatch(/^The model gpt-unpriced \(openai\) has no price/);
    expect(openai.requests).toHaveLength(0);
    expect(store.rows.size).toBe(0);
  });

  it('prices a model the table does not know with PROVIDER_DEFAULT_PRICE', async () => {
    const openai = new ScriptedAdapter('openai', [], answer(['priced'], { inputTokens: 100, outputTokens: 50 }));
    const { cascade, store } = cascadeOf([openai], { ...budgeted('enforce'), defaultPrice: { inputPerMillion: 1, outputPerMillion: 2 } });
    const events = await collect(cascade.stream({ ...request, model: 'gpt-unpriced' }));
    expect(events.at(-1)).toMatchObject({ type: 'finish', model: 'gpt-unpriced', costMicroDollars: 200 });
    // The reservation was settled in the same row: only the real cost remains.
    expect([...store.rows.values()]).toEqual([expect.objectContaining({ model: 'gpt-unpriced', requests: 1, costMicroDollars: 200 })]);
  });

  it('leaves an unpriced fall-over default out instead of refusing, when the chosen model is priced', async () => {
    const settings = { ...budgeted('enforce'), chatModels: { ...budgeted('enforce').chatModels, anthropic: 'claude-unpriced' } };
    const openai = new ScriptedAdapter('openai', [{ status: 500 }, { status: 500 }, { status: 500 }]);
    const anthropic = new ScriptedAdapter('anthropic', [], answer(['never']));
    const { cascade } = cascadeOf([openai, anthropic], settings);
    const events = await collect(cascade.stream(request));
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ code: ErrorCode.ProviderUnavailable }) as unknown }]);
    expect(anthropic.requests).toHaveLength(0);
  });

  it('admits concurrent requests one reservation at a time, so the budget is overshot by at most one estimate (item 17)', async () => {
    // Each answer costs 100 × 0.40 + 1,000 × 1.60 = 1,640 µ$; a reservation of 1,000 output tokens is at least that.
    const openai = new ScriptedAdapter('openai', [], answer(['paid'], { inputTokens: 100, outputTokens: 1_000 }));
    const { cascade, store } = cascadeOf([openai], budgeted('enforce'));
    const results = await Promise.all(Array.from({ length: 6 }, () => collect(cascade.stream({ ...request, maxOutputTokens: 1_000 }))));
    const answered = results.filter((events) => events.some((event) => event.type === 'finish'));
    expect(answered).toHaveLength(1);
    expect(results.filter((events) => events[0]?.type === 'error' && events[0].error.code === ErrorCode.BudgetExceeded)).toHaveLength(5);
    expect(await store.spentSince('2000-01-01')).toBe(1_640);
  });

  it('releases the reservation when no provider answers', async () => {
    const openai = new ScriptedAdapter('openai', [{ status: 400 }]);
    const { cascade, store } = cascadeOf([openai], budgeted('enforce'), undefined);
    const events = await collect(cascade.stream({ ...request, provider: 'openai', fallback: false }));
    expect(events[0]).toMatchObject({ type: 'error', error: { code: ErrorCode.ProviderUnavailable } });
    expect(await store.spentSince('2000-01-01')).toBe(0);
    expect([...store.rows.values()].every((row) => row.requests === 0 && row.costMicroDollars === 0)).toBe(true);
  });

  it('releases the reservation when the caller abandons the stream partway', async () => {
    const openai = new ScriptedAdapter('openai', [], answer(['one', 'two', 'three']));
    const { cascade, store } = cascadeOf([openai], budgeted('enforce'));
    for await (const event of cascade.stream(request)) {
      if (event.type === 'text-delta') break;
    }
    expect(await store.spentSince('2000-01-01')).toBe(0);
  });

  it('only warns in warn mode', async () => {
    const openai = new ScriptedAdapter('openai', [], answer(['paid'], { inputTokens: 2_000, outputTokens: 500 }));
    const { cascade } = cascadeOf([openai], budgeted('warn'));
    await collect(cascade.stream(request));
    const events = await collect(cascade.stream(request));
    expect(events[0]).toMatchObject({ type: 'warning', code: ErrorCode.BudgetExceeded });
    expect(textOf(events)).toBe('paid');
  });
});
