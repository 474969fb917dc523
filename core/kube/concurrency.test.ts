import { describe, expect, it } from 'vitest';
import { DEFAULT_CONCURRENCY, mapConcurrent } from './concurrency.js';

/** Runs mapConcurrent over `n` items whose calls each take a few ticks; reports the peak number in flight. */
async function peak(n: number, limit: number | undefined): Promise<{ peak: number; results: number[] }> {
  let inFlight = 0;
  let max = 0;
  const results = await mapConcurrent(
    Array.from({ length: n }, (_, i) => i),
    limit,
    async (item) => {
      inFlight++;
      max = Math.max(max, inFlight);
      // Later items finish sooner, so order is only kept if results are placed by index.
      await new Promise((r) => setTimeout(r, (n - item) % 4));
      inFlight--;
      return item * 2;
    },
  );
  return { peak: max, results };
}

describe('mapConcurrent', () => {
  it.each([
    [10, 1, 1],
    [10, 3, 3],
    [2, 5, 2],
    [100, undefined, DEFAULT_CONCURRENCY],
  ])('%i items with limit %s run at most %i at a time, results in order', async (n, limit, expected) => {
    const { peak: max, results } = await peak(n, limit);
    expect(max).toBe(expected);
    expect(results).toEqual(Array.from({ length: n }, (_, i) => i * 2));
  });

  it('returns [] for no items', async () => {
    await expect(mapConcurrent([], 4, async () => 1)).resolves.toEqual([]);
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    const run = mapConcurrent([0, 1, 2, 3, 4, 5], 2, async (i) => {
      started.push(i);
      if (i === 1) throw new Error('item 1 failed');
      await new Promise((r) => setTimeout(r, 5));
      return i;
    });
    await expect(run).rejects.toThrow('item 1 failed');
    expect(started).toEqual([0, 1]);
  });

  it.each([0, -1, 1.5])('refuses limit %s', async (limit) => {
    await expect(mapConcurrent([1], limit, async (x) => x)).rejects.toThrow(RangeError);
  });
});
