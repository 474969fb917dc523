/**
 * npm run bench [-- NAME…]: runs the benchmarks side by side with the tools people use today,
 * prints tables, and writes bench/results.json and docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { markdownTable, type BenchSection } from './report.js';

type Benchmark = { readonly name: string; readonly run: () => Promise<BenchSection> };

const benchmarks: Benchmark[] = [
  {
    name: 'git-read',
    run: async () => {
      const { gitReadSection } = await import('./git-read.js');
      return gitReadSection();
    },
  },
  {
    name: 'history',
    run: async () => (await import('./history-bench.js')).historySection(),
  },
  {
    name: 'plan',
    run: async () => (await import('./cluster-bench.js')).planSection(),
  },
  {
    name: 'apply',
    run: async () => (await import('./cluster-bench.js')).applySection(),
  },
  {
    name: 'memory',
    run: async () => (await import('./cluster-bench.js')).memorySection(),
  },
];

const wanted = process.argv.slice(2);
const sections: BenchSection[] = [];
const started = performance.now();
try {
  for (const b of benchmarks) {
    if (wanted.length && !wanted.includes(b.name)) continue;
    console.error(`[bench] ${b.name} …`);
    const t = performance.now();
    const section = await b.run();
    sections.push(section);
    console.error(`[bench] ${b.name} took ${((performance.now() - t) / 1000).toFixed(0)} s`);
    console.log(`\n## ${section.title}\n\n${markdownTable(section.rows)}\n`);
  }
} finally {
  // Bench namespaces are deleted by each section; the bench CRD (and its custom resources) here.
  await (await import('./cluster-bench.js')).cleanupCluster();
}
const totalS = (performance.now() - started) / 1000;
const misses = sections.flatMap((s) => s.rows.filter((r) => r.target && !r.target.met).map((r) => `${s.title}: ${r.name}`));

const git = (() => {
  try {
    return execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'git not found';
  }
})();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${git}`;
const when = new Date().toISOString();
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ when, machine, sections }, null, 2)}\n`);
const md = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (do not edit by hand). Every figure is the median of several runs',
  'with min–max, measured side by side in the same run on the same machine.',
  '',
  `Last run: ${when} on ${machine}; the whole run took ${Math.round(totalS)} s.`,
  '',
  'Columns: Slipway\'s figure and the comparison\'s (median, min–max), their ratio, the target from issue 7 and whether this run met it.',
  misses.length ? `Targets not met in this run: ${misses.length} (each row's notes say why and what would close it).` : 'Every target with a comparison was met in this run.',
  '',
  ...sections.flatMap((s) => [`## ${s.title}`, '', s.description, '', markdownTable(s.rows), '']),
].join('\n');
if (wanted.length === 0) writeFileSync(new URL('../docs/benchmarks.md', import.meta.url), md);
console.error(`[bench] wrote bench/results.json${wanted.length === 0 ? ' and docs/benchmarks.md' : ''}`);
