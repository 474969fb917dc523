/**
 * Why this change, timed (issue 19, part 3): a directory app of 100 files (a Deployment each),
 * 60 commits by three authors that each change a few files, then every object changed (replicas
 * and image lines): how long explainChanges takes to list each object's commits and blame each
 * changed line — with a base (the range since the first commit) and without one (each object's
 * last 20) — beside `git log` alone for the same paths; each timed as the first plan of the commit
 * (core/git/commits.ts keeps what commit oids fix), and the typical review again as a re-plan of
 * the same commit. No cluster needed.
 *
 *   npx tsx bench/why-bench.ts
 */
import { performance } from 'node:perf_hooks';
import { openRepository } from '../core/git/repository.js';
import type { Change } from '../core/plan/types.js';
import { forgetCommitOutputs } from '../core/git/commits.js';
import { explainChanges } from '../core/plan/why/explain.js';
import { createTestRepo } from '../test/support/git-repo.js';

const FILES = 100;
const COMMITS = 60;
const RUNS = 7;
const AUTHORS = ['Ada Lovelace <ada@example.com>', 'Grace Hopper <grace@example.com>', 'Linus Torvalds <linus@example.com>'];

const deployment = (i: number, v: { replicas: number; image: string }): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${i}\n  labels:\n    app: web-${i}\nspec:\n  replicas: ${v.replicas}\n  selector:\n    matchLabels:\n      app: web-${i}\n  template:\n    metadata:\n      labels:\n        app: web-${i}\n    spec:\n      containers:\n        - name: web\n          image: ${v.image}\n          ports:\n            - containerPort: 8080\n`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function whyBench(): Promise<{ withBase: number; noBase: number; gitLog: number; changes: number; commits: number; typical: number; typicalReplan: number; typicalChanges: number }> {
  const fixture = createTestRepo({ prefix: 'slipway-why-bench-' });
  try {
    const state = Array.from({ length: FILES }, () => ({ replicas: 1, image: 'nginx:1.0' }));
    const write = (idx: number[]) => fixture.write(Object.fromEntries(idx.map((i) => [`apps/web/web-${i}.yaml`, deployment(i, state[i]!)])));
    write(state.map((_, i) => i));
    const first = fixture.commit('100 deployments', { author: AUTHORS[0]! });
    const oids: string[] = [];
    for (let c = 0; c < COMMITS; c++) {
      const touched = [(c * 7) % FILES, (c * 13 + 5) % FILES, (c * 31 + 11) % FILES];
      for (const i of touched) state[i] = c % 2 === 0 ? { ...state[i]!, replicas: state[i]!.replicas + 1 } : { ...state[i]!, image: `nginx:1.${c}` };
      write(touched);
      oids.push(fixture.commit(`change ${touched.join(', ')}`, { author: AUTHORS[c % AUTHORS.length]! }));
    }
    const repo = await openRepository(fixture.dir);
    const revision = await repo.resolve('main');
    const changes: Change[] = state.map((v, i) => ({
      key: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: `web-${i}` },
      action: 'update',
      flags: [],
      before: deployment(i, { replicas: 1, image: 'nginx:1.0' }),
      after: deployment(i, v),
      changedPaths: ['spec'],
      source: { file: `apps/web/web-${i}.yaml`, documentIndex: 0, line: 1 },
    }));
    const app = { name: 'web', path: 'apps/web', source: {} };
    /** `replan`: the git outputs kept from the run before are used, as when the same commit is planned again. */
    const time = async (f: () => Promise<unknown>, opts: { readonly replan?: boolean } = {}): Promise<number> => {
      await f(); // warm
      const xs: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        if (!opts.replan) forgetCommitOutputs();
        const t = performance.now();
        await f();
        xs.push(performance.now() - t);
      }
      return median(xs);
    };
    const withBase = await time(() => explainChanges(changes, { repo, revision, app, sourceType: 'directory', base: { commit: first, what: 'the first commit' } }));
    // A typical review: the last 3 commits since the last apply, 9 objects changed (the others the same as applied).
    const recent = oids[COMMITS - 4]!;
    const changedSince = new Set(fixture.git('diff', '--name-only', recent, 'main').split('\n'));
    const few = changes.filter((c) => changedSince.has(c.source!.file));
    const typical = await time(() => explainChanges(few, { repo, revision, app, sourceType: 'directory', base: { commit: recent, what: 'three commits ago' } }));
    const typicalReplan = await time(() => explainChanges(few, { repo, revision, app, sourceType: 'directory', base: { commit: recent, what: 'three commits ago' } }), { replan: true });
    const noBase = await time(() => explainChanges(changes, { repo, revision, app, sourceType: 'directory', noBase: 'none' }));
    const gitLog = await time(async () => fixture.git('log', '--name-only', '--format=%H', `${first}..main`, '--', 'apps/web'));
    const commits = (await explainChanges(changes, { repo, revision, app, sourceType: 'directory', base: { commit: first, what: 'x' } })).changes.reduce((n, c) => n + (c.why?.length ?? 0), 0);
    await repo.close();
    return { withBase, noBase, gitLog, changes: changes.length, commits, typical, typicalReplan, typicalChanges: few.length };
  } finally {
    fixture.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await whyBench();
  console.log(`${r.changes} changed objects in ${FILES} files, ${COMMITS} commits since the base (${r.commits} object–commit pairs listed)`);
  console.log(`explainChanges with a base:    ${r.withBase.toFixed(0)} ms (median of ${RUNS})`);
  console.log(`explainChanges without a base: ${r.noBase.toFixed(0)} ms`);
  console.log(`typical: ${r.typicalChanges} objects changed by the last 3 commits: ${r.typical.toFixed(0)} ms; planned again: ${r.typicalReplan.toFixed(0)} ms`);
  console.log(`git log --name-only alone:     ${r.gitLog.toFixed(0)} ms`);
}
