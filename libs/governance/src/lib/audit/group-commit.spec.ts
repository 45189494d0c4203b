import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes what arrives during a batch as the next batch, in order, and answers each submitter with its own result', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number, string>(async (items) => {
      batches.push(items);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return items.map((item) => `r${item}`);
    }, 3);
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((item) => commit.submit(item)));
    expect(results).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
    await expect(commit.submit(7)).resolves.toBe('r7');
  });

  it('rejects every submitter of a failing batch and keeps writing the next ones', async () => {
    const commit = new GroupCommit<number, number>(async (items) => {
      await Promise.resolve();
      if (items.includes(3)) throw new Error('batch failed');
      return items;
    }, 10);
    const settled = await Promise.allSettled([1, 2, 3, 4].map((item) => commit.submit(item)));
    expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected']);
    await expect(commit.submit(5)).resolves.toBe(5);
  });
});
