/**
 * The Pods of an app's workloads on a context, for `slipway logs`: the app is found and rendered at
 * a revision as a plan does it (same selection, namespace and Helm capabilities), its workloads
 * (the kinds that run Pods: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, and bare Pods,
 * core/apply/health/workload-pods.ts) are read live, and their Pods listed by each one's
 * spec.selector, as `kubectl logs -l` and `kubectl describe` find them. Nothing is written.
 *
 * A workload that is not in the cluster (not applied yet, or pruned) is reported, not an error;
 * so is a rendered kind whose Pods cannot be found by a selector (a CronJob: its Jobs come and go).
 */
import type { Repository } from '../git/types.js';
import { KubeClient } from '../kube/client.js';
import { mapConcurrent } from '../kube/concurrency.js';
import { contextNamespace, type LoadedKubeconfig } from '../kube/kubeconfig.js';
import { discover, resolveTarget } from '../kube/target.js';
import type { KubeObject } from '../kube/types.js';
import type { Diagnostic } from '../model/diagnostics.js';
import { list, str } from '../model/fields.js';
import type { ResourceKey } from '../model/resource.js';
import { resolveApp } from '../plan/child-apps.js';
import { helmCapabilities } from '../render/capabilities.js';
import { renderApp } from '../render/render.js';
import type { ToolPaths } from '../render/tools.js';
import { withOverrides, type AppOverrides } from '../source/apps.js';
import type { AppSelection } from '../source/load.js';
import { podsBy, selectorOf } from '../apply/health/workload-pods.js';

export interface AppPodsRequest {
  readonly repo: Repository;
  /** Default HEAD. */
  readonly rev?: string;
  readonly selection: AppSelection;
  readonly kubeconfig: LoadedKubeconfig;
  readonly context: string;
  /** The app's namespace (-n), as for its plan. */
  readonly overrides?: Pick<AppOverrides, 'namespace'>;
  readonly cacheDir: string;
  readonly tools?: ToolPaths;
  readonly requestTimeoutMs?: number;
}

/** One Pod, with its containers (for logs of each). */
export interface AppPod {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** status.phase: Pending, Running, Succeeded, Failed. */
  readonly phase: string;
  readonly containers: readonly string[];
  readonly initContainers: readonly string[];
  /** The workload it was found by. */
  readonly workload: ResourceKey;
  /** metadata.creationTimestamp. */
  readonly createdAt?: string;
}

/** A rendered workload and what was found of it. */
export interface AppWorkload {
  readonly key: ResourceKey;
  /**
   * - found: read live, its Pods listed;
   * - missing: not in the cluster;
   * - no-selector: in the cluster, but its Pods cannot be told by a selector (none, or an empty one).
   */
  readonly status: 'found' | 'missing' | 'no-selector';
  readonly pods: number;
}

export interface AppPods {
  readonly app: string;
  readonly namespace: string;
  readonly workloads: readonly AppWorkload[];
  /** Each Pod once (the first workload that found it), by workload, then by name. */
  readonly pods: readonly AppPod[];
  /** Rendered kinds that run Pods but whose Pods are not found here (CronJob), by key. */
  readonly skipped: readonly ResourceKey[];
  /** The render's warnings and errors. */
  readonly diagnostics: readonly Diagnostic[];
}

const POD_KINDS_NOT_FOUND_BY_SELECTOR = new Set(['CronJob.batch']);

/** A Pod as AppPod (pure). */
export function appPodOf(pod: KubeObject, workload: ResourceKey): AppPod {
  const names = (field: string): string[] => list(pod, 'spec', field).flatMap((c) => str(c, 'name') || []);
  const created = str(pod, 'metadata', 'creationTimestamp');
  return {
    namespace: pod.metadata.namespace ?? workload.namespace ?? '',
    name: pod.metadata.name,
    uid: pod.metadata.uid ?? '',
    phase: str(pod, 'status', 'phase') ?? 'Unknown',
    containers: names('containers'),
    initContainers: names('initContainers'),
    workload,
    ...(created !== undefined && { createdAt: created }),
  };
}

export async function appPods(req: AppPodsRequest): Promise<AppPods> {
  const revision = await req.repo.resolve(req.rev ?? 'HEAD');
  const { app: selected, diagnostics: appDiagnostics } = await resolveApp(req.repo, revision, req.selection, { cacheDir: req.cacheDir, ...(req.tools && { tools: req.tools }) });
  const app = withOverrides(selected, req.overrides ?? {}, contextNamespace(req.kubeconfig, req.context));
  const namespace = app.destination.namespace!;
  const client = new KubeClient(req.kubeconfig, req.context, { ...(req.requestTimeoutMs !== undefined && { timeoutMs: req.requestTimeoutMs }) });
  try {
    const [target, discovery] = await Promise.all([resolveTarget(client), discover(client)]);
    const render = await renderApp(req.repo, revision, app, { cacheDir: req.cacheDir, ...(req.tools && { tools: req.tools }), capabilities: helmCapabilities(target, discovery) });
    const withNamespace = (key: ResourceKey): ResourceKey => ({ ...key, namespace: key.namespace ?? namespace });
    const rendered = render.objects.filter((o) => !o.generateName).map((o) => withNamespace(o.key));
    const workloads = rendered.filter((k) => podsBy(k) !== undefined);
    const skipped = rendered.filter((k) => POD_KINDS_NOT_FOUND_BY_SELECTOR.has(k.group ? `${k.kind}.${k.group}` : k.kind));
    const podResource = await client.resourceFor({ group: '', version: 'v1', kind: 'Pod' });

    const found = await mapConcurrent(workloads, 8, async (key): Promise<{ key: ResourceKey; status: AppWorkload['status']; pods: KubeObject[] }> => {
      const live = await client.get(key);
      if (!live) return { key, status: 'missing', pods: [] };
      if (podsBy(key) === 'itself') return { key, status: 'found', pods: [live] };
      const selector = selectorOf(live);
      if (!selector) return { key, status: 'no-selector', pods: [] };
      const pods = await client.list(podResource, { namespace: key.namespace!, labelSelector: selector });
      return { key, status: 'found', pods: pods.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)) };
    });

    const seen = new Set<string>();
    const pods: AppPod[] = [];
    for (const f of found) {
      for (const p of f.pods) {
        const id = p.metadata.uid ?? `${p.metadata.namespace}/${p.metadata.name}`;
        if (seen.has(id)) continue;
        seen.add(id);
        pods.push(appPodOf(p, f.key));
      }
    }
    return {
      app: app.name,
      namespace,
      workloads: found.map((f) => ({ key: f.key, status: f.status, pods: f.pods.length })),
      pods,
      skipped,
      diagnostics: [...appDiagnostics.filter((d) => d.severity !== 'info'), ...render.diagnostics.filter((d) => d.severity !== 'info')],
    };
  } finally {
    await client.close();
  }
}
