import { WorkspaceLock } from './workspace-lock';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WorkspaceLock', () => {
  it('lets shared holders run together and an exclusive one only alone', async () => {
    const lock = new WorkspaceLock();
    const events: string[] = [];
    const first = await lock.acquire('shared');
    const second = await lock.acquire('shared');
    const exclusive = lock.acquire('exclusive').then((release) => {
      events.push('exclusive');
      return release;
    });
    await tick();
    expect(events).toEqual([]);
    first();
    await tick();
    expect(events).toEqual([]);
    second();
    const release = await exclusive;
    expect(events).toEqual(['exclusive']);
    const shared = lock.acquire('shared').then((releaseShared) => {
      events.push('shared');
      return releaseShared;
    });
    await tick();
    expect(events).toEqual(['exclusive']);
    release();
    (await shared)();
    expect(events).toEqual(['exclusive', 'shared']);
  });

  it('holds back shared requests that come after a waiting exclusive one (first come, first served)', async () => {
    const lock = new WorkspaceLock();
    const order: string[] = [];
    const running = await lock.acquire('shared');
    const git = lock.acquire('exclusive').then((release) => {
      order.push('git');
      release();
    });
    const later = lock.acquire('shared').then((release) => {
      order.push('later');
      release();
    });
    await tick();
    expect(order).toEqual([]);
    running();
    await Promise.all([git, later]);
    expect(order).toEqual(['git', 'later']);
  });

  it('gives up waiting when the request is cancelled, and a release is idempotent', async () => {
    const lock = new WorkspaceLock();
    const held = await lock.acquire('exclusive');
    const controller = new AbortController();
    const waiting = lock.acquire('shared', controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    held();
    held();
    const again = await lock.acquire('exclusive');
    const shared = lock.acquire('shared');
    let granted = false;
    void shared.then(() => (granted = true));
    await tick();
    expect(granted).toBe(false);
    again();
    (await shared)();
  });
});
