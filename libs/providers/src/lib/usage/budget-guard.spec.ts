import { ErrorCode } from '@aegis/contracts';
import type { BudgetSettings } from '../provider-settings';
import { BudgetGuard } from './budget-guard';
import { InMemoryUsageStore } from './usage-store';

const settings = (overrides: Partial<BudgetSettings> = {}): BudgetSettings => ({
  userMicroDollars: 1_000_000,
  globalMicroDollars: undefined,
  period: 'month',
  mode: 'enforce',
  cacheMs: 60_000,
  ...overrides,
});

const add = (store: InMemoryUsageStore, day: string, userId: string, costMicroDollars: number) =>
  store.add({
    day,
    userId,
    conversationId: null,
    provider: 'openai',
    model: 'gpt-4.1-mini',
    inputTokens: 1,
    outputTokens: 1,
    costMicroDollars,
  });

describe('BudgetGuard', () => {
  const now = new Date('2026-03-15T12:00:00Z');

  it('is off, and reads nothing, while no budget is set', async () => {
    const store = new InMemoryUsageStore();
    const spy = jest.spyOn(store, 'spentSince');
    const guard = new BudgetGuard(settings({ userMicroDollars: undefined }), store, () => now);
    expect(guard.enabled).toBe(false);
    await expect(guard.check('u1')).resolves.toEqual({ allowed: true });
    expect(spy).not.toHaveBeenCalled();
  });

  it('counts the calendar month (UTC) for a monthly budget, and only that user’s spend', async () => {
    const store = new InMemoryUsageStore();
    await add(store, '2026-02-28', 'u1', 5_000_000);
    await add(store, '2026-03-01', 'u1', 600_000);
    await add(store, '2026-03-10', 'u2', 5_000_000);
    const guard = new BudgetGuard(settings(), store, () => now);
    expect(guard.period()).toEqual({ start: '2026-03-01', secondsLeft: 16 * 86_400 + 12 * 3_600 });
    await expect(guard.check('u1')).resolves.toEqual({ allowed: true });
    await add(store, '2026-03-15', 'u1', 400_000);
    guard.noteSpend('u1', 400_000);
    const verdict = await guard.check('u1');
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) {
      expect(verdict.error.code).toBe(ErrorCode.BudgetExceeded);
      expect(verdict.error.message).toBe('Your monthly LLM budget of $1.00 is spent ($1.00 used)');
    }
  });

  it('applies the global budget to everyone, daily when so configured', async () => {
    const store = new InMemoryUsageStore();
    await add(store, '2026-03-14', 'u1', 9_000_000);
    await add(store, '2026-03-15', 'u2', 2_000_000);
    const guard = new BudgetGuard(
      settings({ userMicroDollars: undefined, globalMicroDollars: 2_000_000, period: 'day' }),
      store,
      () => now,
    );
    const verdict = await guard.check('u3');
    expect(verdict).toMatchObject({
      allowed: false,
      error: { message: 'The daily LLM budget of $2.00 for everyone is spent', retryAfterSeconds: 12 * 3_600 },
    });
  });

  it('warns instead of refusing in warn mode', async () => {
    const store = new InMemoryUsageStore();
    await add(store, '2026-03-02', 'u1', 2_000_000);
    const guard = new BudgetGuard(settings({ mode: 'warn' }), store, () => now);
    await expect(guard.check('u1')).resolves.toEqual({ allowed: true, warning: 'Your monthly LLM budget of $1.00 is spent ($2.00 used)' });
  });

  it('reserves while the budgets are under their limits, counting what others reserved (enforce mode)', async () => {
    const store = new InMemoryUsageStore();
    const guard = new BudgetGuard(settings({ globalMicroDollars: 3_000_000 }), store, () => now);
    const reservation = (userId: string, costMicroDollars: number) => ({
      day: '2026-03-15',
      userId,
      conversationId: null,
      provider: 'openai' as const,
      model: 'gpt-4.1-mini',
      inputTokens: 0,
      outputTokens: 0,
      costMicroDollars,
      requests: 0,
    });
    await expect(guard.reserve(reservation('u1', 1_500_000))).resolves.toEqual({ allowed: true, reserved: true });
    const user = await guard.reserve(reservation('u1', 10));
    expect(user).toMatchObject({
      allowed: false,
      error: { code: ErrorCode.BudgetExceeded, message: 'Your monthly LLM budget of $1.00 is spent ($1.50 used)' },
    });
    await expect(guard.reserve(reservation('u2', 1_600_000))).resolves.toMatchObject({ allowed: true });
    await expect(guard.reserve(reservation('u3', 10))).resolves.toMatchObject({
      allowed: false,
      error: { message: 'The monthly LLM budget of $3.00 for everyone is spent' },
    });
    expect(await store.spentSince('2026-03-01')).toBe(3_100_000);
  });

  it('re-reads the store once the cached total is older than cacheMs', async () => {
    const store = new InMemoryUsageStore();
    let clock = now.getTime();
    const guard = new BudgetGuard(settings({ cacheMs: 1_000 }), store, () => new Date(clock));
    await guard.check('u1');
    await add(store, '2026-03-15', 'u1', 1_000_000);
    expect((await guard.check('u1')).allowed).toBe(true);
    clock += 1_001;
    expect((await guard.check('u1')).allowed).toBe(false);
  });
});
