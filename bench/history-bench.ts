/**
 * The history database at scale: 100,000 runs recorded through the public History API (each a
 * plan, a run and a result with snapshots per changed object), then listing pages of runs;
 * database bytes per run, and how they grow with what changed versus with the size of the app.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHistory, type History } from '../core/history/history.js';
import { contentHash } from '../core/model/canonical.js';
import type { Change, Plan } from '../core/plan/types.js';
import { summarizeSamples, type BenchRow, type BenchSection } from './report.js';

const CLUSTER = { context: 'bench', server: 'https://127.0.0.1:6443', uid: 'bench-uid', version: 'v1.35.4' };
const log = (m: string): void => console.error(`[bench] ${m}`);

function objectYaml(i: number, version: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-${i}\n  namespace: bench\n  labels:\n    app.kubernetes.io/part-of: bench\ndata:\n  VERSION: "${version}"\n  settings.yaml: |\n    level: info\n    feature-${i}: true\n`;
}

/** A plan of an `objects`-object app in which `changed` objects (from `first`) move to `version`. */
function plan(run: number, opts: { objects: number; changed: number }): Plan {
  const changes: Change[] = [];
  const first = (run * opts.changed) % opts.objects;
  for (let i = 0; i < opts.objects; i++) {
    const isChanged = (i - first + opts.objects) % opts.objects < opts.changed;
    const before = objectYaml(i, isChanged ? run - 1 : 0);
    changes.push({
      key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'bench', name: `config-${i}` },
      action: isChanged ? 'update' : 'noop',
      flags: [],
      before,
      after: isChanged ? objectYaml(i, run) : before,
      changedPaths: isChanged ? ['data.VERSION'] : [],
      liveResourceVersion: String(run * 1000 + i),
      // As real hashes are: random-looking, so they do not compress away.
      desiredHash: contentHash({ run: isChanged ? run : 0, i }),
    });
  }
  const n = changes.filter((c) => c.action === 'update').length;
  return {
    formatVersion: 5,
    id: `plan-${opts.objects}-${run.toString(16).padStart(12, '0')}`,
    createdAt: new Date(Date.UTC(2026, 0, 1) + run * 60_000).toISOString(),
    inputs: {
      app: { name: `app-${opts.objects}`, path: 'apps/bench', sourceType: 'directory', namespace: 'bench' },
      repo: '/repos/bench',
      commit: run.toString(16).padStart(40, '0'),
      treeOid: 'b'.repeat(40),
      renderedHash: `sha256:${run.toString(16).padStart(64, '0')}`,
      cluster: CLUSTER,
      mode: { kind: 'normal' },
      applySet: { parent: 'Secret/bench/slipway-bench', id: 'applyset-bench' },
    },
    changes,
    summary: { create: 0, update: n, delete: 0, replace: 0, noop: opts.objects - n, error: 0 },
    diagnostics: [],
    hooks: [],
    findings: [],
  };
}

function record(h: History, run: number, opts: { objects: number; changed: number }): void {
  const p = plan(run, opts);
  const id = h.startRun({ plan: p, kind: 'apply', user: { kube: 'bench-admin' } });
  const obj = (c: Change, v: number): object => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: c.key.name, namespace: 'bench', resourceVersion: String(v) }, data: { VERSION: String(v) } });
  // The results of one wave finish together, and applyPlan records those in one transaction (recordObjectResults): so does the bench.
  const results = p.changes.filter((c) => c.action !== 'noop').map((c) => ({ key: c.key, action: 'update' as const, outcome: 'healthy' as const, before: obj(c, run - 1), after: obj(c, run), desiredHash: c.desiredHash!, resultResourceVersion: String(run) }));
  h.recordObjectResults(id, results);
  h.finishRun(id, { status: 'succeeded' });
}

function fileBytes(file: string): number {
  let n = 0;
  for (const f of [file, `${file}-wal`]) n += statSync(f, { throwIfNoEntry: false })?.size ?? 0;
  return n;
}

/** Bytes per run of `runs` runs of an app with `objects` objects and `changed` changes each. */
function bytesPerRun(dir: string, opts: { objects: number; changed: number; runs: number }): number {
  const file = join(dir, `growth-${opts.objects}-${opts.changed}.db`);
  const h = openHistory({ path: file });
  try {
    for (let r = 1; r <= 20; r++) record(h, r, opts);
    h.close();
    const start = fileBytes(file);
    const h2 = openHistory({ path: file });
    for (let r = 21; r < 21 + opts.runs; r++) record(h2, r, opts);
    h2.close();
    return (fileBytes(file) - start) / opts.runs;
  } finally {
    h.close();
  }
}

export async function historySection(opts: { runs?: number } = {}): Promise<BenchSection> {
  const total = opts.runs ?? 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-history-'));
  const file = join(dir, 'history.db');
  try {
    log(`history: recording ${total} runs`);
    const app = { objects: 50, changed: 5 };
    let h = openHistory({ path: file });
    const t = performance.now();
    for (let r = 1; r <= total; r++) record(h, r, app);
    const recordMs = (performance.now() - t) / total;
    h.close();
    h = openHistory({ path: file });
    const bytes = fileBytes(file);
    const sample = (fn: () => unknown): ReturnType<typeof summarizeSamples> => {
      const samples: number[] = [];
      for (let i = 0; i < 50; i++) {
        const s = performance.now();
        fn();
        samples.push(performance.now() - s);
      }
      return summarizeSamples(samples);
    };
    const query = { repo: '/repos/bench', app: `app-${app.objects}`, limit: 20 };
    const first = sample(() => h.runsOfApp(query));
    let cursor: string | undefined;
    const depth = Math.floor(total / query.limit / 2);
    for (let i = 0; i < depth; i++) cursor = h.runsOfApp({ ...query, ...(cursor && { before: cursor }) }).next;
    const deep = sample(() => h.runsOfApp({ ...query, ...(cursor && { before: cursor }) }));
    const byContext = sample(() => h.runsOfContext({ context: CLUSTER.context, limit: 20 }));
    const detail = sample(() => h.run(h.runsOfApp({ ...query, limit: 1 }).items[0]!.id));
    h.close();

    log('history: growth per run against app size and changes');
    const growth = [
      { objects: 100, changed: 10, runs: 100 },
      { objects: 1000, changed: 10, runs: 100 },
      { objects: 1000, changed: 100, runs: 100 },
    ].map((g) => ({ ...g, bytes: bytesPerRun(dir, g) }));
    const kib = (b: number): string => `${(b / 1024).toFixed(1)} KiB`;
    const [small, big, bigMany] = growth as [(typeof growth)[0], (typeof growth)[0], (typeof growth)[0]];
    const appFactor = big.bytes / small.bytes;
    const changeFactor = bigMany.bytes / big.bytes;
    const page = (name: string, v: ReturnType<typeof summarizeSamples>, notes: string): BenchRow => ({ name, ...v, target: { text: '≤ 20 ms', met: v.medianMs <= 20 }, notes });
    const rows: BenchRow[] = [
      page(`list a page of 20 runs of an app (newest), ${total.toLocaleString('en')} runs recorded`, first, `database ${(bytes / 2 ** 20).toFixed(1)} MiB; recording took ${recordMs.toFixed(2)} ms per run (${((recordMs * total) / 1000).toFixed(0)} s in all; each run through the public History API — startRun, recordObjectResults of its ${app.changed} results in one transaction as applyPlan records results that finish together, finishRun — three write transactions a run, none batched across runs)`),
      page(`list a page of 20 runs of an app, ${depth.toLocaleString('en')} pages deep (cursor)`, deep, 'keyset paging: an index range, no OFFSET'),
      page('list a page of 20 runs of a context', byContext, ''),
      { name: 'one run with its object results', ...detail, notes: `${app.changed} results` },
      {
        name: 'database bytes per run',
        medianMs: bytes / total / 1024,
        minMs: bytes / total / 1024,
        maxMs: bytes / total / 1024,
        unit: 'KiB',
        notes: `${total.toLocaleString('en')} runs of a ${app.objects}-object app changing ${app.changed} objects each (plan + run + results + snapshots)`,
      },
      {
        name: 'growth per run: 100 → 1,000 objects, 10 changed',
        medianMs: big.bytes / 1024,
        minMs: small.bytes / 1024,
        maxMs: big.bytes / 1024,
        unit: 'KiB',
        ratio: `${appFactor.toFixed(1)}× for 10× the objects`,
        target: { text: 'proportional to what changed, not to app size', met: appFactor < 2 },
        notes:
          `${kib(small.bytes)}/run at 100 objects, ${kib(big.bytes)}/run at 1,000 (10 changed); ${kib(bigMany.bytes)}/run at 1,000 with 100 changed (${changeFactor.toFixed(1)}× for 10× the changes). ` +
          (appFactor < 2
            ? 'A run stores its plan without the noop changes (their count stays in the summary), its results and the snapshots of what changed: all follow the changes.'
            : 'Results and snapshots follow the changes, but every run stores its whole Plan, whose noop changes carry the full before/after YAML of every object: that part follows the app size. To close: store noop changes without their YAML sides (or as references to content-addressed snapshots, shared between runs).'),
      },
    ];
    return {
      title: 'History (SQLite)',
      description:
        `${total.toLocaleString('en')} recorded apply runs of one app in one history file (each: the plan, the run, a result with before/after snapshots for every changed object), then queries as the UI makes them, 50 times each. ` +
        'Bytes per run are the growth of the file (with its WAL) over 100 further runs, for different app sizes and numbers of changes.',
      rows,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
