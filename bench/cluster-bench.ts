/**
 * Benchmarks against the real local cluster (test/cluster), each side by side with kubectl in the
 * same run on the same cluster:
 *   plan    — plan of 1,000 objects with 10 % changed vs `kubectl diff --server-side`
 *             (default concurrency, and --concurrency 16 = Slipway's), and the re-plan with
 *             nothing changed after Slipway's apply (fast path) vs `kubectl diff --server-side`;
 *   (apply is in apply-bench.ts);
 *   memory  — peak RSS of planning 5,000 objects, in a child process.
 * Every object lives in bench namespaces (and one bench CRD) that are deleted at the end.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan } from '../core/apply/service.js';
import { GitCache } from '../core/git/cache.js';
import { openRepository } from '../core/git/repository.js';
import { openHistory, type History } from '../core/history/history.js';
import { KubeClient } from '../core/kube/client.js';
import { loadKubeconfig, type LoadedKubeconfig } from '../core/kube/kubeconfig.js';
import { planApp } from '../core/plan/service.js';
import type { LastApplyLookup } from '../core/plan/ports.js';
import type { Plan } from '../core/plan/types.js';
import type { ToolPaths } from '../core/render/tools.js';
import { up } from '../test/cluster/cluster.js';
import { CORPUS_CRD, generateCorpus, type Corpus } from './corpus.js';
import { measure, speedup, summarizeSamples, type BenchRow, type BenchSection } from './report.js';

const CONTEXT = 'slipway-admin';
const log = (m: string): void => console.error(`[bench] ${m}`);

export interface BenchCluster {
  readonly kubeconfigPath: string;
  readonly kubeconfig: LoadedKubeconfig;
  readonly tools: ToolPaths & { readonly kubectl: string };
  /** Runs kubectl; resolves with its exit code (kubectl diff exits 1 when there are differences). */
  kubectl(args: readonly string[], opts?: { okCodes?: readonly number[] }): Promise<number>;
}

let cluster: Promise<BenchCluster> | undefined;

/** The local cluster: reused when running, started with `up()` otherwise (and left running for the next tools). */
export function benchCluster(): Promise<BenchCluster> {
  cluster ??= (async () => {
    const { state } = await up({ log: (m) => log(`cluster: ${m}`) });
    const tools = { kubectl: state.tools.kubectl, helm: state.tools.helm, kustomize: state.tools.kustomize };
    const kubectl = (args: readonly string[], opts: { okCodes?: readonly number[] } = {}): Promise<number> =>
      new Promise((resolve, reject) => {
        const child = execFile(tools.kubectl, ['--kubeconfig', state.kubeconfig, '--context', CONTEXT, ...args], { maxBuffer: 1 << 30 }, (err, _stdout, stderr) => {
          const code = child.exitCode ?? (err ? 1 : 0);
          if ((opts.okCodes ?? [0]).includes(code)) resolve(code);
          else reject(new Error(`kubectl ${args.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`));
        });
      });
    return { kubeconfigPath: state.kubeconfig, kubeconfig: loadKubeconfig({ path: state.kubeconfig }), tools, kubectl };
  })();
  return cluster;
}

const suffix = (): string => `${Date.now().toString(36).slice(-5)}${randomBytes(2).toString('hex')}`;

/** Slipway's plan of the corpus app at a commit: from Git (fresh cache), rendered, against the cluster, in this process. */
export async function slipwayPlan(c: BenchCluster, corpus: Corpus, rev: string, opts: { cacheDir: string; lastApply?: LastApplyLookup }): Promise<Plan> {
  const repo = await openRepository(corpus.dir, { cache: new GitCache() });
  try {
    return await planApp({ repo, rev, selection: { app: corpus.app }, kubeconfig: c.kubeconfig, context: CONTEXT, cacheDir: opts.cacheDir, tools: c.tools, ...(opts.lastApply && { lastApply: opts.lastApply }) });
  } finally {
    await repo.close();
  }
}

/** `applyPlan` of a plan in this process (the desktop engine's way). */
export async function slipwayApply(c: BenchCluster, corpus: Corpus, plan: Plan, opts: { cacheDir: string; history: History }): Promise<void> {
  const repo = await openRepository(corpus.dir, { cache: new GitCache() });
  try {
    const outcome = await applyPlan({ plan, repo, kubeconfig: c.kubeconfig, history: opts.history, cacheDir: opts.cacheDir, tools: c.tools, forceConflicts: true, timeoutMs: 180_000 });
    if (outcome.status !== 'succeeded') throw new Error(`bench apply ${outcome.status}: ${outcome.error ?? ''}`);
  } finally {
    await repo.close();
  }
}

async function deleteCorpus(c: BenchCluster, corpus: Corpus): Promise<void> {
  for (const ns of corpus.namespaces) await c.kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']).catch((e: unknown) => log(`cleanup: ${String(e)}`));
}

/** Waits until no corpus object changes for two seconds (controllers settle after an apply). */
async function settle(c: BenchCluster, corpus: Corpus): Promise<void> {
  const client = new KubeClient(c.kubeconfig, CONTEXT);
  try {
    const read = async (): Promise<string> => {
      const lists = await Promise.all(
        corpus.namespaces.map((ns) => client.request('GET', `/apis/apps/v1/namespaces/${ns}/deployments`, { info: { verb: 'list', resource: 'deployments.apps' } }) as Promise<{ metadata?: { resourceVersion?: string }; items?: { metadata: { resourceVersion?: string } }[] }>),
      );
      return lists.map((l) => (l.items ?? []).map((i) => i.metadata.resourceVersion).join(',')).join(';');
    };
    let last = await read();
    for (let i = 0; i < 30; i++) {
      await new Promise((r) => setTimeout(r, 2000));
      const now = await read();
      if (now === last) return;
      last = now;
    }
  } finally {
    await client.close();
  }
}

/** Server-side dry-runs sent by plans in this process (KubeClient.apply with dryRun), to show what the fast path skipped. */
let dryRuns = 0;
function countDryRuns(): () => void {
  const original = KubeClient.prototype.apply;
  KubeClient.prototype.apply = function (this: KubeClient, obj, opts) {
    if (opts.dryRun) dryRuns++;
    return original.call(this, obj, opts);
  };
  return () => {
    KubeClient.prototype.apply = original;
  };
}
async function dryRunsOf(fn: () => Promise<unknown>): Promise<number> {
  const before = dryRuns;
  await fn();
  return dryRuns - before;
}

const changesOf = (p: Plan): number => p.summary.create + p.summary.update + p.summary.delete + p.summary.replace;

// ── 1 and 2: plan and re-plan ──────────────────────────────────────────────────

export async function planSection(opts: { objects?: number; runs?: number; kubectlRuns?: number } = {}): Promise<BenchSection> {
  const objects = opts.objects ?? 1000;
  const runs = opts.runs ?? 5;
  const kubectlRuns = opts.kubectlRuns ?? 3;
  const c = await benchCluster();
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-bench-plan-'));
  log(`plan: generating a ${objects}-object corpus with 50 commits`);
  const corpus = generateCorpus({ objects, tag: `bench-plan-${suffix()}` });
  const history = openHistory({ path: join(tmp, 'history.db') });
  const cacheDir = join(tmp, 'trees');
  try {
    log('plan: Slipway applies the initial commit (the cluster then holds commit 0)');
    const t0 = performance.now();
    const initial = await slipwayPlan(c, corpus, corpus.commits[0]!, { cacheDir });
    await slipwayApply(c, corpus, initial, { cacheDir, history });
    log(`plan: applied ${initial.summary.create} objects in ${((performance.now() - t0) / 1000).toFixed(1)} s; waiting for controllers to settle`);
    await settle(c, corpus);
    corpus.writeManifests(0, join(tmp, 'rev0'));
    corpus.writeManifests(1, join(tmp, 'rev1'));
    const dir = (rev: 0 | 1): string => join(tmp, `rev${rev}`, corpus.appPath);
    const kubectlDiff = (rev: 0 | 1, concurrency?: number): Promise<number> =>
      c.kubectl(['diff', '--server-side', '--force-conflicts', '-R', '-f', dir(rev), ...(concurrency ? [`--concurrency=${concurrency}`] : [])], { okCodes: [0, 1] });

    // 1. Commit 1 changes 10 % of the objects.
    log('plan: 10 % changed — Slipway (every object dry-run)');
    let full: Plan | undefined;
    const slipwayFull = await measure(runs, async () => (full = await slipwayPlan(c, corpus, corpus.commits[1]!, { cacheDir })));
    log('plan: 10 % changed — Slipway with the last-apply lookup');
    let fast: Plan | undefined;
    const slipwayFast = await measure(runs, async () => (fast = await slipwayPlan(c, corpus, corpus.commits[1]!, { cacheDir, lastApply: history })));
    log('plan: 10 % changed — kubectl diff --server-side (default concurrency)');
    const kubectlDefault = await measure(kubectlRuns, () => kubectlDiff(1));
    log('plan: 10 % changed — kubectl diff --server-side --concurrency=16');
    const kubectl16 = await measure(kubectlRuns, () => kubectlDiff(1, 16));
    // 2. Nothing changed since Slipway's apply.
    log('plan: re-plan with nothing changed — Slipway with the last-apply lookup');
    let replan: Plan | undefined;
    const slipwayReplan = await measure(runs, async () => (replan = await slipwayPlan(c, corpus, corpus.commits[0]!, { cacheDir, lastApply: history })));
    log('plan: re-plan with nothing changed — Slipway without it (every object dry-run)');
    const slipwayReplanFull = await measure(runs, () => slipwayPlan(c, corpus, corpus.commits[0]!, { cacheDir }));
    log('plan: re-plan with nothing changed — kubectl diff --server-side (default concurrency)');
    const kubectlReplan = await measure(kubectlRuns, () => kubectlDiff(0));
    const restore = countDryRuns();
    let counted: { full: number; fast: number; replan: number };
    try {
      counted = {
        full: await dryRunsOf(() => slipwayPlan(c, corpus, corpus.commits[1]!, { cacheDir })),
        fast: await dryRunsOf(() => slipwayPlan(c, corpus, corpus.commits[1]!, { cacheDir, lastApply: history })),
        replan: await dryRunsOf(() => slipwayPlan(c, corpus, corpus.commits[0]!, { cacheDir, lastApply: history })),
      };
    } finally {
      restore();
    }

    const n = corpus.objects.length;
    const ratio = (a: { medianMs: number }, b: { medianMs: number }): number => b.medianMs / a.medianMs;
    const cmp = (name: string, v: { medianMs: number; minMs: number; maxMs: number }): BenchRow['comparison'] => ({ name, ...v });
    const samePlan = fast!.id === full!.id ? 'the same plan as with every object dry-run' : 'NOT the same plan as with every object dry-run';
    const rows: BenchRow[] = [
      {
        name: `plan ${n} objects, ${corpus.changedPerCommit} changed: \`slipway plan\` (default: unchanged objects skip their dry-run)`,
        ...slipwayFast,
        comparison: cmp('kubectl diff --server-side (default --concurrency=1)', kubectlDefault),
        ratio: speedup(slipwayFast.medianMs, kubectlDefault.medianMs),
        target: { text: '≥ 5× faster', met: ratio(slipwayFast, kubectlDefault) >= 5 },
        notes:
          `${changesOf(fast!)} changes found, ${samePlan}; ${counted.fast} dry-runs instead of ${counted.full}: objects whose desired hash and live resourceVersion equal what Slipway's last successful apply recorded are not dry-run (what \`slipway plan\` and the app do by default; \`--no-history\` turns it off). ` +
          `Slipway concurrency 16; ${runs} runs, kubectl ${kubectlRuns}.` +
          (ratio(slipwayFast, kubectlDefault) >= 5 ? '' : ' Not met in this run: the dry-runs of the changed objects and the LISTs are left, on an API server sharing 2 cores with etcd and the controllers.'),
      },
      {
        name: `plan ${n} objects, ${corpus.changedPerCommit} changed: \`slipway plan\` (default), equal concurrency`,
        ...slipwayFast,
        comparison: cmp('kubectl diff --server-side --concurrency=16', kubectl16),
        ratio: speedup(slipwayFast.medianMs, kubectl16.medianMs),
        target: { text: '≥ 1.5× faster', met: ratio(slipwayFast, kubectl16) >= 1.5 },
        notes: 'Slipway: LIST per kind + a dry-run per changed object; kubectl: GET + dry-run PATCH per object, then diff(1).',
      },
      {
        name: `plan ${n} objects, ${corpus.changedPerCommit} changed: \`slipway plan --no-history\` (every object dry-run)`,
        ...slipwayFull,
        comparison: cmp('kubectl diff --server-side (default --concurrency=1)', kubectlDefault),
        ratio: speedup(slipwayFull.medianMs, kubectlDefault.medianMs),
        notes:
          `For reference, without the history (e.g. a cluster Slipway never applied to): ${changesOf(full!)} changes found with ${counted.full} dry-runs. ` +
          `The API server is the bottleneck here (same machine, ${cpus().length} cores shared by etcd, both API servers, controllers and this process), so 16 concurrent dry-runs are ${ratio(slipwayFull, kubectlDefault).toFixed(1)}× one at a time.`,
      },
      {
        name: `plan ${n} objects, ${corpus.changedPerCommit} changed: \`slipway plan --no-history\`, equal concurrency`,
        ...slipwayFull,
        comparison: cmp('kubectl diff --server-side --concurrency=16', kubectl16),
        ratio: speedup(slipwayFull.medianMs, kubectl16.medianMs),
        notes: 'For reference: at equal concurrency and with every object dry-run both tools wait on the same dry-runs; Slipway saves the GET per object and the diff process.',
      },
      {
        name: `re-plan ${n} objects, nothing changed since Slipway's apply (fast path)`,
        ...slipwayReplan,
        comparison: cmp('kubectl diff --server-side (default)', kubectlReplan),
        ratio: speedup(slipwayReplan.medianMs, kubectlReplan.medianMs),
        target: { text: '≥ 20× faster', met: ratio(slipwayReplan, kubectlReplan) >= 20 },
        notes:
          `${changesOf(replan!)} changes, ${counted.replan} dry-runs; without the lookup (every object dry-run) ${slipwayReplanFull.medianMs.toFixed(0)} ms. ` +
          (ratio(slipwayReplan, kubectlReplan) >= 20
            ? ''
            : 'Not met: what is left is reading and rendering the 1,000 files from Git with a fresh cache (each plan here opens the repository anew, as the CLI does) plus discovery and one LIST per kind. ' +
              'To close: keep the repository cache and the rendered revision (by tree oid) in the long-lived engine (UI, serve), and LIST from the watch cache (resourceVersion=0).'),
      },
    ];
    return {
      title: 'Plan and re-plan against the local cluster',
      description:
        `A generated app of ${n} objects (${corpus.namespaces.length} namespaces; Deployments, Services, ConfigMaps, Secrets, ServiceAccounts, Roles, RoleBindings, a CRD and its custom resources; ` +
        `50 commits each changing ${corpus.changedPerCommit} objects) is applied by Slipway at its first commit. Then Slipway plans the next commit (from Git, fresh cache, rendered, LISTs + server-side dry-runs) ` +
        'and kubectl diffs the same manifests (`kubectl diff --server-side --force-conflicts -R -f`, files already on disk), on the same cluster in the same run. ' +
        'The re-plan rows plan the applied commit again: with the history as the last-apply lookup, objects whose desired hash and live resourceVersion equal what the apply recorded are not dry-run.',
      rows,
    };
  } finally {
    await deleteCorpus(c, corpus);
    history.close();
    corpus.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ── 6: memory ──────────────────────────────────────────────────────────────────

export async function memorySection(opts: { objects?: number; runs?: number } = {}): Promise<BenchSection> {
  const objects = opts.objects ?? 5000;
  const runs = opts.runs ?? 3;
  const c = await benchCluster();
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-bench-memory-'));
  log(`memory: generating a ${objects}-object corpus`);
  const corpus = generateCorpus({ objects, commits: 1, tag: `bench-mem-${suffix()}` });
  try {
    // Namespaces exist (empty), so every other object is dry-run as a creation.
    for (const ns of corpus.namespaces) await c.kubectl(['create', 'namespace', ns]);
    const rss: number[] = [];
    const ms: number[] = [];
    let summary = '';
    for (let i = 0; i < runs; i++) {
      log(`memory: run ${i + 1}/${runs} (child process)`);
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', new URL('./plan-memory.ts', import.meta.url).pathname], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        let text = '';
        child.stdout.on('data', (b: Buffer) => (text += b.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`plan-memory exited ${code}`))));
        child.stdin.end(JSON.stringify({ kubeconfig: c.kubeconfigPath, context: CONTEXT, repo: corpus.dir, rev: corpus.commits[0], app: corpus.app, cacheDir: join(tmp, 'trees'), tools: c.tools }));
      });
      const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { maxRssKiB: number; ms: number; summary: string };
      rss.push(r.maxRssKiB / 1024);
      ms.push(r.ms);
      summary = r.summary;
    }
    const m = summarizeSamples(rss);
    return {
      title: 'Memory',
      description: `Peak resident set size of one \`planApp\` of a ${objects}-object app, measured in a fresh child Node process (\`process.resourceUsage().maxRSS\`, which includes Node itself and tsx).`,
      rows: [
        {
          name: `peak RSS, planning ${objects} objects`,
          ...m,
          unit: 'MB',
          ratio: `${((m.medianMs / 500) * 100).toFixed(0)} % of the budget`,
          target: { text: '≤ 500 MB', met: m.medianMs <= 500 },
          notes: `plan took ${summarizeSamples(ms).medianMs.toFixed(0)} ms (median); ${summary}`,
        },
      ],
    };
  } finally {
    await deleteCorpus(c, corpus);
    corpus.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Removes the bench CRD (and so every bench custom resource); namespaces are deleted by each section. */
export async function cleanupCluster(): Promise<void> {
  if (!cluster) return;
  const c = await cluster;
  await c.kubectl(['delete', 'customresourcedefinition', CORPUS_CRD, '--ignore-not-found', '--wait=false']).catch((e: unknown) => log(`cleanup: ${String(e)}`));
}
