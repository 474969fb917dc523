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
];

const wanted = process.argv.slice(2);
const sections: BenchSection[] = [];
for (const b of benchmarks) {
  if (wanted.length && !wanted.includes(b.name)) continue;
  console.error(`[bench] ${b.name} …`);
  const section = await b.run();
  sections.push(section);
  console.log(`\n## ${section.title}\n\n${markdownTable(section.rows)}\n`);
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
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ when, machine, sections }, null, 2)}\n`);
const md = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (do not edit by hand). Every figure is the median of several runs',
  'with min–max, measured side by side in the same run on the same machine.',
  '',
  `Last run: ${when} on ${machine}.`,
  '',
  ...sections.flatMap((s) => [`## ${s.title}`, '', s.description, '', markdownTable(s.rows), '']),
].join('\n');
if (wanted.length === 0) writeFileSync(new URL('../docs/benchmarks.md', import.meta.url), md);
console.error(`[bench] wrote bench/results.json${wanted.length === 0 ? ' and docs/benchmarks.md' : ''}`);
