/**
 * Shared shape and reporting for `npm run bench`: every benchmark returns rows (median of several
 * runs with min–max), printed as a table and written to bench/results.json and docs/benchmarks.md.
 */
export interface BenchRow {
  readonly name: string;
  /** In `unit` (default ms), like min and max. */
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly unit?: 'ms' | 'MB' | 'KiB';
  /** The tool people use today, measured side by side in the same run. */
  readonly comparison?: { readonly name: string; readonly medianMs: number; readonly minMs: number; readonly maxMs: number };
  /** How Slipway's figure relates to the comparison's (or to the target), e.g. "6.1× faster". */
  readonly ratio?: string;
  /** The target and whether this run met it. */
  readonly target?: { readonly text: string; readonly met: boolean };
  readonly notes?: string;
}

export interface BenchSection {
  readonly title: string;
  /** What was measured and how, for the reader of docs/benchmarks.md. */
  readonly description: string;
  readonly rows: readonly BenchRow[];
}

/** Runs `fn` `runs` times (`before` each time, not timed) and returns median, min and max in milliseconds. */
export async function measure(runs: number, fn: (i: number) => unknown, before?: () => unknown): Promise<Pick<BenchRow, 'medianMs' | 'minMs' | 'maxMs'>> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return summarizeSamples(times);
}

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

/** "1234 (1100–1300) ms". */
function figure(v: { medianMs: number; minMs: number; maxMs: number }, unit = 'ms'): string {
  return `${ms(v.medianMs)} (${ms(v.minMs)}–${ms(v.maxMs)}) ${unit}`;
}

/** comparison ÷ slipway, as "N× faster" (or "N× slower"). */
export function speedup(slipwayMs: number, comparisonMs: number): string {
  const r = comparisonMs / slipwayMs;
  return r >= 1 ? `${r.toFixed(1)}× faster` : `${(1 / r).toFixed(1)}× slower`;
}

export function markdownTable(rows: readonly BenchRow[]): string {
  const lines = ['| measurement | Slipway: median (min–max) | comparison: median (min–max) | ratio | target | met | notes |', '|---|---:|---:|---|---|---|---|'];
  for (const r of rows) {
    const comparison = r.comparison ? `${r.comparison.name}: ${figure(r.comparison, r.unit)}` : '';
    const met = r.target ? (r.target.met ? 'yes' : '**no**') : '';
    lines.push(`| ${r.name} | ${figure(r, r.unit)} | ${comparison} | ${r.ratio ?? ''} | ${r.target?.text ?? ''} | ${met} | ${r.notes ?? ''} |`);
  }
  return lines.join('\n');
}

/** Median, min and max of samples already taken. */
export function summarizeSamples(samples: readonly number[]): { medianMs: number; minMs: number; maxMs: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { medianMs: median, minMs: sorted[0] ?? 0, maxMs: sorted[sorted.length - 1] ?? 0 };
}
