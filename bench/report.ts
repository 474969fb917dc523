/**
 * Shared shape and reporting for `npm run bench`: every benchmark returns rows (median of several
 * runs with min–max), printed as a table and written to bench/results.json and docs/benchmarks.md.
 */
export interface BenchRow {
  readonly name: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly notes?: string;
}

export interface BenchSection {
  readonly title: string;
  /** What was measured and how, for the reader of docs/benchmarks.md. */
  readonly description: string;
  readonly rows: readonly BenchRow[];
}

/** Runs `fn` `runs` times and returns median, min and max in milliseconds. */
export async function measure(runs: number, fn: () => Promise<void> | void, before?: () => Promise<void> | void): Promise<Pick<BenchRow, 'medianMs' | 'minMs' | 'maxMs'>> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  const median = times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { medianMs: median, minMs: times[0]!, maxMs: times[times.length - 1]! };
}

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

export function markdownTable(rows: readonly BenchRow[]): string {
  const lines = ['| measurement | median (ms) | min–max (ms) | notes |', '|---|---:|---:|---|'];
  for (const r of rows) lines.push(`| ${r.name} | ${ms(r.medianMs)} | ${ms(r.minMs)}–${ms(r.maxMs)} | ${r.notes ?? ''} |`);
  return lines.join('\n');
}
