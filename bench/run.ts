/**
 * npm run bench [-- NAME…]: runs the benchmarks side by side with the tools people use today,
 * prints tables, and writes bench/results.json and docs/benchmarks.md. With names (e.g.
 * `npm run bench -- ui`, or `--only ui`) only those run, and their sections replace the ones of
 * the same title in the existing results; every other section stays as the last run left it.
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { markdownTable, type BenchSection } from './report.js';

type Benchmark = { readonly name: string; readonly run: () => Promise<BenchSection> };

const benchmarks: Benchmark[] = [
  {
    name: 'cli',
    run: async () => (await import('./cli-bench.js')).cliSection(),
  },
  {
    name: 'cache',
    run: async () => (await import('./cache-bench.js')).cacheSection(),
  },
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
    name: 'charts',
    run: async () => (await import('./charts-bench.js')).chartsSection(),
  },
  {
    name: 'sops',
    run: async () => (await import('./sops-bench.js')).sopsSection(),
  },
  {
    name: 'plan',
    run: async () => (await import('./plan-bench.js')).planSection(),
  },
  {
    name: 'plan-10k',
    run: async () => (await import('./plan-bench.js')).plan10kSection(),
  },
  {
    name: 'apply',
    run: async () => (await import('./apply-bench.js')).applySection(),
  },
  {
    name: 'memory',
    run: async () => (await import('./plan-bench.js')).memorySection(),
  },
  {
    name: 'ui',
    run: async () => (await import('./ui-bench.js')).uiSection(),
  },
  {
    name: 'live',
    run: async () => (await import('./live-bench.js')).liveSection(),
  },
  {
    name: 'live-ui',
    run: async () => (await import('./live-ui-bench.js')).liveUiSection(),
  },
  {
    name: 'watch',
    run: async () => (await import('./watch-bench.js')).watchSection(),
  },
  {
    name: 'logs',
    run: async () => (await import('./logs-bench.js')).logsSection(),
  },
];

const wanted = process.argv.slice(2).filter((a) => a !== '--only');
const unknown = wanted.filter((w) => !benchmarks.some((b) => b.name === w));
if (unknown.length) {
  console.error(`[bench] unknown benchmark ${unknown.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
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

/** What bench/results.json holds: the last full run, with sections measured since by partial runs marked `measuredAt`. */
interface Results {
  readonly when: string;
  readonly machine: string;
  /** How long the full run took. */
  readonly seconds?: number;
  readonly sections: ReadonlyArray<BenchSection & { readonly measuredAt?: string; readonly machine?: string }>;
}

const git = (() => {
  try {
    return execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'git not found';
  }
})();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${git}`;
const when = new Date().toISOString();
const resultsFile = new URL('./results.json', import.meta.url);
const docFile = new URL('../docs/benchmarks.md', import.meta.url);

function previousResults(): Results | null {
  if (!existsSync(resultsFile)) return null;
  const previous = JSON.parse(readFileSync(resultsFile, 'utf8')) as Results;
  if (previous.seconds !== undefined || !existsSync(docFile)) return previous;
  // Written before `seconds` was kept: the document says how long that run took.
  const took = /the whole run took (\d+) s/.exec(readFileSync(docFile, 'utf8'));
  return took ? { ...previous, seconds: Number(took[1]) } : previous;
}

/** A partial run's sections replace those of the same title (in place), new ones go last; the rest stay. */
function merge(previous: Results | null, fresh: readonly BenchSection[]): Results {
  if (wanted.length === 0 || !previous) return { when, machine, seconds: Math.round(totalS), sections: fresh };
  const stamped = fresh.map((s) => ({ ...s, measuredAt: when, ...(machine !== previous.machine && { machine }) }));
  const byTitle = new Map(stamped.map((s) => [s.title, s]));
  const sections = [...previous.sections.map((s) => byTitle.get(s.title) ?? s), ...stamped.filter((s) => !previous.sections.some((p) => p.title === s.title))];
  return { ...previous, sections };
}

const results = merge(previousResults(), sections);
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
const misses = results.sections.flatMap((s) => s.rows.filter((r) => r.target && !r.target.met).map((r) => `${s.title}: ${r.name}`));
const later = results.sections.filter((s) => s.measuredAt);
const md = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (do not edit by hand). Every figure is the median of several runs',
  'with min–max, measured side by side in the same run on the same machine.',
  '',
  `Last run: ${results.when} on ${results.machine}${results.seconds !== undefined ? `; the whole run took ${results.seconds} s` : ''}.`,
  ...(later.length ? ['', `Measured since by a partial run (\`npm run bench -- NAME\`): ${later.map((s) => `${s.title} (${s.measuredAt}${s.machine ? ` on ${s.machine}` : ''})`).join('; ')}.`] : []),
  '',
  'Columns: Slipway\'s figure and the comparison\'s (median, min–max), their ratio, the target from issue 7 and whether this run met it.',
  misses.length ? `Targets not met in this run: ${misses.length} (each row's notes say why and what would close it).` : 'Every target with a comparison was met in this run.',
  '',
  ...results.sections.flatMap((s) => [`## ${s.title}`, '', s.description, '', markdownTable(s.rows), '']),
].join('\n');
writeFileSync(docFile, md);
console.error(`[bench] wrote bench/results.json and docs/benchmarks.md${wanted.length ? ` (${sections.map((s) => s.title).join(', ')} merged into the last results)` : ''}`);
