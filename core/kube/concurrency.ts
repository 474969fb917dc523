/**
 * Bounded concurrency: run `fn` over `items` with at most `limit` (default 16) calls in flight. Results keep the
 * order of `items`. The first failure rejects the whole call once the calls already in flight have
 * settled; no new calls start after it.
 */
export const DEFAULT_CONCURRENCY = 16;

export async function mapConcurrent<T, R>(items: readonly T[], limit: number | undefined, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  limit ??= DEFAULT_CONCURRENCY;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  if (failure) throw failure.error;
  return results;
}
