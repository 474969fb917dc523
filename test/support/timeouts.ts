/**
 * Timeouts of fast-check properties. A property's run count fixes its work, not its wall time:
 * idle, ours take 0.05-2 ms a run; with two busy loops on 2 cores they ran 2-5x slower.
 */

/** 20 ms a run, 30 s at least: room for a machine much busier than that, yet a property that slowed to seconds a run still fails. */
export function propertyTimeout(numRuns: number): number {
  return Math.max(30_000, numRuns * 20);
}

/**
 * A unit test that starts many short processes or worker threads (a git repository of hundreds of
 * files, a `git cat-file` per object, a parse pool): about 1 s idle, 3 s with two busy loops.
 */
export const HEAVY_IO_TIMEOUT = 30_000;
