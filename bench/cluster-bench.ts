/**
 * What the benches against the real local cluster (test/cluster) share: the cluster, kubectl on
 * it, Slipway's plan and apply in this process, settling, deleting a corpus, removing the bench
 * CRD. The sections are in plan-bench.ts (plan, plan-10k, memory: the CLI as a process) and
 * apply-bench.ts (apply), each side by side with kubectl in the same run on the same cluster. Every object lives in bench namespaces (and one bench CRD) that are
 * deleted at the end.
 */
import { execFile } from 'node:child_process';
import { applyPlan } from '../core/apply/service.js';
import { GitCache } from '../core/git/cache.js';
import { openRepository } from '../core/git/repository.js';
import type { History } from '../core/history/history.js';
import { KubeClient } from '../core/kube/client.js';
import { loadKubeconfig, type LoadedKubeconfig } from '../core/kube/kubeconfig.js';
import { planApp } from '../core/plan/service.js';
import type { LastApplyLookup } from '../core/plan/ports.js';
import type { Plan } from '../core/plan/types.js';
import type { ToolPaths } from '../core/render/tools.js';
import { up } from '../test/cluster/cluster.js';
import { CORPUS_CRD, type Corpus } from './corpus.js';

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

/** Deletes the corpus's namespaces; with `wait`, until they are gone (so the namespace controller's work does not load what runs next), at most 5 minutes. */
export async function deleteCorpus(c: BenchCluster, corpus: Corpus, opts: { wait?: boolean } = {}): Promise<void> {
  for (const ns of corpus.namespaces) await c.kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']).catch((e: unknown) => log(`cleanup: ${String(e)}`));
  if (opts.wait) await c.kubectl(['wait', '--for=delete', '--timeout=300s', ...corpus.namespaces.map((ns) => `namespace/${ns}`)]).catch((e: unknown) => log(`cleanup: ${String(e)}`));
}

/** Waits until no corpus object changes for two seconds (controllers settle after an apply). */
export async function settle(c: BenchCluster, corpus: Corpus): Promise<void> {
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

/** Removes the bench CRD (and so every bench custom resource); namespaces are deleted by each section. */
export async function cleanupCluster(): Promise<void> {
  if (!cluster) return;
  const c = await cluster;
  await c.kubectl(['delete', 'customresourcedefinition', CORPUS_CRD, '--ignore-not-found', '--wait=false']).catch((e: unknown) => log(`cleanup: ${String(e)}`));
}
