/**
 * `slipway plan` as users run it — the built CLI, a fresh process each time — side by side with
 * `kubectl diff --server-side`, also a process, on the local cluster (issue 21):
 *   plan      — 1,000 objects: the next commit (10 % changed) vs kubectl diff at its default
 *               concurrency and at --concurrency=16, and the re-plan of the applied commit;
 *   plan-10k  — the same at 10,000 objects (fewer kubectl runs: one of them takes minutes);
 *   memory    — peak RSS of the `slipway plan` process planning 20,000 objects (all creates).
 * Both sides are timed the same way (bench/process-time.ts: wall clock from start to exit, CPU of
 * the process and its children). Every object lives in bench namespaces (and one bench CRD) that
 * are deleted at the end.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../core/plan/types.js';
import { benchCluster, deleteCorpus, settle, type BenchCluster } from './cluster-bench.js';
import { generateCorpus, type Corpus } from './corpus.js';
import type { ProcessTime } from './process-time.js';
import { speedup, summarizeSamples, type BenchRow, type BenchSection } from './report.js';
import { buildCli, cliEnv, slipwayBin, timeOk } from './slipway-cli.js';

const CONTEXT = 'slipway-admin';
const log = (m: string): void => console.error(`[bench] plan: ${m}`);
const suffix = (): string => Date.now().toString(36).slice(-5);
const load = (): string => loadavg()[0]!.toFixed(1);

type Samples = readonly ProcessTime[];
const wall = (s: Samples) => summarizeSamples(s.map((x) => x.wallMs));
const cpu = (s: Samples): string => `${summarizeSamples(s.map((x) => x.cpuMs)).medianMs.toFixed(0)} ms`;

const changesOf = (p: Plan): number => p.summary.create + p.summary.update + p.summary.delete + p.summary.replace;

/** The bench's slipway and kubectl commands on one corpus, in one bench folder. */
function commands(c: BenchCluster, corpus: Corpus, tmp: string) {
  const env = cliEnv(tmp);
  const kube = ['--kubeconfig', c.kubeconfigPath, '--context', CONTEXT];
  const app = (rev: string): string[] => ['--repo', corpus.dir, '--rev', rev, '--app', corpus.app, ...kube];
  return {
    env,
    /** `slipway plan` of commit `i` (the history and disk cache of the bench folder). */
    plan: (i: number, extra: readonly string[] = []): Promise<ProcessTime> => timeOk(process.execPath, [slipwayBin, 'plan', ...app(corpus.commits[i]!), ...extra], { env }),
    apply: (i: number): Promise<ProcessTime> => timeOk(process.execPath, [slipwayBin, 'apply', ...app(corpus.commits[i]!), '--auto-approve', '--create-namespace', '--force-conflicts', '--timeout', '300'], { env }),
    /** kubectl diff of commit `i`'s files, written to disk beforehand (it exits 1 when there are differences). */
    diff: (i: number, concurrency?: number): Promise<ProcessTime> =>
      timeOk(c.tools.kubectl, [...kube, 'diff', '--server-side', '--force-conflicts', '-R', '-f', join(tmp, `rev${i}`, corpus.appPath), ...(concurrency ? [`--concurrency=${concurrency}`] : [])], { okCodes: [0, 1] }),
    /** The plan `slipway plan` makes of commit `i`, saved with --out (a run not timed). */
    async saved(i: number): Promise<Plan> {
      const file = join(tmp, `plan-${i}.json`);
      await timeOk(process.execPath, [slipwayBin, 'plan', ...app(corpus.commits[i]!), '--out', file], { env });
      return JSON.parse(readFileSync(file, 'utf8')) as Plan;
    },
  };
}

/** Runs the named measurements in turns (one of each per round while it has runs left), so every side sees the same machine load. */
async function interleave<K extends string>(plan: Record<K, { runs: number; run: () => Promise<ProcessTime> }>): Promise<Record<K, ProcessTime[]>> {
  const keys = Object.keys(plan) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as ProcessTime[]])) as Record<K, ProcessTime[]>;
  const rounds = Math.max(...keys.map((k) => plan[k].runs));
  for (let r = 0; r < rounds; r++) {
    for (const k of keys) {
      if (r >= plan[k].runs) continue;
      log(`${k} ${r + 1}/${plan[k].runs} (load ${load()})`);
      out[k].push(await plan[k].run());
    }
  }
  return out;
}

interface Targets {
  /** Faster than kubectl diff --server-side at its default concurrency, 10 % changed. */
  readonly changed: number;
  /** Faster than kubectl diff --server-side --concurrency=16, 10 % changed. */
  readonly changed16: number;
  /** Re-plan of the applied commit, faster than kubectl diff --server-side at its default. */
  readonly replan: number;
}

/** A row of the slipway process against kubectl's, with the target `times` faster. */
function row(name: string, ours: Samples, theirs: { name: string; samples: Samples }, times: number, notes: string, whyMissed: string): BenchRow {
  const s = wall(ours);
  const k = wall(theirs.samples);
  const met = k.medianMs / s.medianMs >= times;
  return {
    name,
    ...s,
    comparison: { name: theirs.name, ...k },
    ratio: speedup(s.medianMs, k.medianMs),
    target: { text: `≥ ${times}× faster`, met },
    notes: `${notes} CPU (user + system, children included) median: slipway ${cpu(ours)}, kubectl ${cpu(theirs.samples)}.${met ? '' : ` ${whyMissed}`}`,
  };
}

/**
 * Why a row misses its target, from --cpu-prof profiles of the CLI re-planning the 1,000-object
 * corpus after its apply (load average ~2), and what would close it. A row that meets its target
 * says nothing.
 */
const PROFILE =
  'Where the CLI\'s time goes (a --cpu-prof profile of the re-plan of 1,000 objects, the unchanged objects\' YAML read from the disk cache: 1.5 s of CPU on its main thread at load 2): loading and compiling its bundled chunks and Node\'s built-ins ~0.3 s (compileSourceTextModule 0.17 s), garbage collection 0.16 s, planning the objects ~0.16 s (half of it the 160 Secrets, never cached: normalized and written as YAML by every process), rendering from the disk cache ~0.1 s (Secret files are parsed by every process), the HTTP client and TLS ~0.1 s, hashing for the plan id ~0.04 s; the next commit adds its 100 dry-runs (~0.7 s of wall time on this API server). ' +
  'Before the unchanged objects\' YAML came from the disk cache, writing it took ~0.16 s at 1,000 objects and ~1 s (with much of 1.3 s of garbage collection) at 10,000.';
const CLOSE =
  'What would close it: Node ≥ 22.1\'s compile cache (bin/slipway.js turns it on; this machine has Node 20), fewer allocations per object, and for a CI loop a warm engine the command hands its work to (`slipway serve`; its figures would be the desktop engine\'s, not measured here).';
const WHY_MISSED = {
  changed: `Not met in this run. ${PROFILE} ${CLOSE}`,
  replan: `Not met in this run: kubectl's re-plan is bound by its GET and dry-run per object, slipway's by the process's fixed costs, so the target asks for the whole process to take a twentieth (fortieth at 10,000) of kubectl's time. ${PROFILE} ${CLOSE}`,
} as const;

async function planRows(opts: { objects: number; runs: number; kubectlRuns: number; targets: Targets; reference: boolean }): Promise<{ rows: BenchRow[]; corpus: string; applyMs: number }> {
  const c = await benchCluster();
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-bench-plan-'));
  log(`generating a ${opts.objects}-object corpus`);
  const corpus = generateCorpus({ objects: opts.objects, commits: 1, tag: `bench-plan-${suffix()}` });
  const cmd = commands(c, corpus, tmp);
  try {
    log('slipway apply of the first commit (the cluster then holds commit 0; the history records it)');
    const applied = await cmd.apply(0);
    log(`applied in ${(applied.wallMs / 1000).toFixed(1)} s; waiting for controllers to settle`);
    await settle(c, corpus);
    corpus.writeManifests(0, join(tmp, 'rev0'));
    corpus.writeManifests(1, join(tmp, 'rev1'));
    // Not timed: the first plan of each commit, saved to count its changes; it also leaves the disk cache warm, as a user's second command finds it.
    const next = await cmd.saved(1);
    const same = await cmd.saved(0);
    const { runs, kubectlRuns } = opts;
    const loadBefore = load();
    const t = await interleave({
      changed: { runs, run: () => cmd.plan(1) },
      replan: { runs, run: () => cmd.plan(0) },
      kubectlChanged: { runs: kubectlRuns, run: () => cmd.diff(1) },
      kubectlChanged16: { runs: kubectlRuns, run: () => cmd.diff(1, 16) },
      kubectlReplan: { runs: kubectlRuns, run: () => cmd.diff(0) },
      noHistory: { runs: opts.reference ? Math.min(runs, 3) : 0, run: () => cmd.plan(1, ['--no-history']) },
    });
    const n = corpus.objects.length;
    const loads = `load average ${loadBefore} before the runs, ${load()} after`;
    const counts = `slipway ${runs} runs, kubectl ${kubectlRuns} of each${kubectlRuns < 3 ? ` (a kubectl diff of ${n.toLocaleString('en')} objects takes minutes at its default concurrency)` : ''}, taken in turns; ${loads}.`;
    const slipwaySide =
      'slipway: the built CLI (`node bin/slipway.js plan --repo … --rev … --app bench`), a fresh process each run, with the history the apply wrote (objects whose desired hash and live resourceVersion equal the last apply\'s skip their dry-run) and the disk cache warm (a plan of each commit ran before, not timed: a user\'s second command); it reads the revision from Git, renders, discovers, LISTs each kind and dry-runs (server-side apply, 16 at a time) what changed.';
    const kubectlSide = 'kubectl: `kubectl diff --server-side --force-conflicts -R -f` of the same manifests, already on disk; per object a GET and a dry-run PATCH, then diff(1).';
    const rows: BenchRow[] = [
      row(
        `\`slipway plan\` ${n.toLocaleString('en')} objects, ${corpus.changedPerCommit.toLocaleString('en')} changed (CLI process)`,
        t.changed,
        { name: 'kubectl diff --server-side (default --concurrency=1)', samples: t.kubectlChanged },
        opts.targets.changed,
        `${changesOf(next)} changes found (${next.summary.error} errors). ${slipwaySide} ${kubectlSide} ${counts}`,
        WHY_MISSED.changed,
      ),
      row(
        `\`slipway plan\` ${n.toLocaleString('en')} objects, ${corpus.changedPerCommit.toLocaleString('en')} changed (CLI process), kubectl at slipway's concurrency`,
        t.changed,
        { name: 'kubectl diff --server-side --concurrency=16', samples: t.kubectlChanged16 },
        opts.targets.changed16,
        `The same slipway runs; kubectl sends 16 objects at a time, as slipway does. ${counts}`,
        WHY_MISSED.changed,
      ),
      row(
        `\`slipway plan\` re-plan of ${n.toLocaleString('en')} objects, nothing changed since its apply (CLI process)`,
        t.replan,
        { name: 'kubectl diff --server-side (default --concurrency=1)', samples: t.kubectlReplan },
        opts.targets.replan,
        `${changesOf(same)} changes found (${same.summary.error} errors): the commit \`slipway apply\` applied, planned again; no object is dry-run. ${counts}`,
        WHY_MISSED.replan,
      ),
    ];
    if (t.noHistory.length) {
      const s = wall(t.noHistory);
      rows.push({
        name: `\`slipway plan --no-history\` ${n.toLocaleString('en')} objects, ${corpus.changedPerCommit} changed (CLI process, every object dry-run)`,
        ...s,
        comparison: { name: 'kubectl diff --server-side --concurrency=16', ...wall(t.kubectlChanged16) },
        ratio: speedup(s.medianMs, wall(t.kubectlChanged16).medianMs),
        notes: `For reference, without the history (e.g. a cluster slipway never applied to): every object dry-run, 16 at a time, like kubectl at --concurrency=16, which also GETs each object and runs diff(1). ${t.noHistory.length} runs; CPU median ${cpu(t.noHistory)}.`,
      });
    }
    return { rows, corpus: describe(corpus), applyMs: applied.wallMs };
  } finally {
    await deleteCorpus(c, corpus, { wait: true });
    corpus.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function describe(corpus: Corpus): string {
  const kinds = new Map<string, number>();
  for (const o of corpus.objects) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
  return `${corpus.objects.length.toLocaleString('en')} objects in ${corpus.namespaces.length} namespaces (${[...kinds].map(([k, v]) => `${v} ${k}`).join(', ')}), one file each`;
}

const DESCRIPTION =
  'The `slipway` command as users run it — the built CLI, a fresh process each run — side by side with `kubectl diff --server-side`, also a process, timed the same way (wall clock from start to exit; CPU in the notes) on the local cluster, taking turns so both see the same load. ' +
  'The app is applied at its first commit by `slipway apply` (a process, with the bench\'s history and cache folders); then slipway plans the next commit (10 % of the objects changed) and re-plans the applied one, and kubectl diffs the same manifests from disk. ' +
  'The desktop engine in a warm process (the app, `slipway serve`) is not measured here.';

export async function planSection(opts: { objects?: number; runs?: number; kubectlRuns?: number } = {}): Promise<BenchSection> {
  buildCli(log);
  const { rows, corpus, applyMs } = await planRows({ objects: opts.objects ?? 1000, runs: opts.runs ?? 5, kubectlRuns: opts.kubectlRuns ?? 3, targets: { changed: 5, changed16: 1.5, replan: 20 }, reference: true });
  return { title: 'Plan and re-plan against the local cluster', description: `${DESCRIPTION} Corpus: ${corpus}; slipway's apply took ${(applyMs / 1000).toFixed(1)} s.`, rows };
}

export async function plan10kSection(opts: { runs?: number; kubectlRuns?: number } = {}): Promise<BenchSection> {
  buildCli(log);
  const { rows, corpus, applyMs } = await planRows({ objects: 10_000, runs: opts.runs ?? 3, kubectlRuns: opts.kubectlRuns ?? 1, targets: { changed: 10, changed16: 3, replan: 40 }, reference: false });
  return { title: 'Plan and re-plan of 10,000 objects against the local cluster', description: `${DESCRIPTION} Corpus: ${corpus}; slipway's apply took ${(applyMs / 1000).toFixed(1)} s.`, rows };
}

// ── memory ──────────────────────────────────────────────────────────────────────

export async function memorySection(opts: { objects?: number; runs?: number; budgetMB?: number } = {}): Promise<BenchSection> {
  const objects = opts.objects ?? 20_000;
  const runs = opts.runs ?? 2;
  const budget = opts.budgetMB ?? 600;
  buildCli(log);
  const c = await benchCluster();
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-bench-memory-'));
  log(`memory: generating a ${objects}-object corpus`);
  const corpus = generateCorpus({ objects, commits: 0, tag: `bench-mem-${suffix()}` });
  const cmd = commands(c, corpus, tmp);
  try {
    // Namespaces exist (empty), so every other object is dry-run as a creation.
    for (const ns of corpus.namespaces) await c.kubectl(['create', 'namespace', ns]);
    const rss: number[] = [];
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      log(`memory: run ${i + 1}/${runs} (load ${load()})`);
      const file = join(tmp, `rss-${i}`);
      // GNU time runs the slipway process and writes its maximum resident set size (KiB) when it exits.
      const t = await timeOk('/usr/bin/time', ['-f', '%M', '-o', file, process.execPath, slipwayBin, 'plan', '--repo', corpus.dir, '--rev', corpus.commits[0]!, '--app', corpus.app, '--kubeconfig', c.kubeconfigPath, '--context', CONTEXT], { env: cmd.env });
      rss.push(Number(readFileSync(file, 'utf8').trim().split('\n').pop()) / 1024);
      ms.push(t.wallMs);
    }
    const plan = await cmd.saved(0);
    const m = summarizeSamples(rss);
    const s = plan.summary;
    return {
      title: 'Memory',
      description: `Peak resident set size of the \`slipway plan\` process (the built CLI, as users run it) planning a ${objects.toLocaleString('en')}-object app whose namespaces exist and nothing else: every object is dry-run as a creation. Measured by GNU time (\`%M\`, the process's maxRSS: Node, the engine and its parse worker threads; not git's child processes).`,
      rows: [
        {
          name: `peak RSS of \`slipway plan\`, ${objects.toLocaleString('en')} objects (CLI process)`,
          ...m,
          unit: 'MB',
          ratio: `${((m.medianMs / budget) * 100).toFixed(0)} % of the budget`,
          target: { text: `≤ ${budget} MB`, met: m.maxMs <= budget },
          notes: `${runs} runs: the first with the disk cache cold (${rss[0]!.toFixed(0)} MB), then warm; the target is met when the largest is under it. Each plan took ${ms.map((x) => `${(x / 1000).toFixed(1)} s`).join(', ')}; ${s.create + s.update + s.noop + s.delete + s.replace + s.error} changes (${s.create} create, ${s.noop} noop, ${s.error} error). Load average ${load()}.`,
        },
      ],
    };
  } finally {
    await deleteCorpus(c, corpus, { wait: true });
    corpus.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }
}
