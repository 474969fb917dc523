/**
 * The live tree of an app on a context, for both front doors (`slipway status`, the UI's
 * `liveTree` command): find the app's ApplySet parent from the repository (the app and its
 * identity at a revision, as a plan finds it; nothing is rendered), read the cluster once
 * (core/watch/read.ts) and build the tree (core/watch/tree.ts) with the per-kind health rules and
 * the Pod reasons of core/apply/health (TREE_RULES: the watch floor is below them).
 *
 * A watcher keeps the tree current instead of reading again: start from readLiveSnapshot (or an
 * informer's lists), feed its events through applyWatchEvents, and call buildLiveTree(snapshot,
 * TREE_RULES) after each batch.
 */
import type { Repository } from '../git/types.js';
import { KubeClient } from '../kube/client.js';
import { contextNamespace, type LoadedKubeconfig } from '../kube/kubeconfig.js';
import { discover, resolveTarget } from '../kube/target.js';
import { parentForApp, type ApplySetParent } from '../model/applyset.js';
import type { ResourceKey } from '../model/resource.js';
import { preferredFor } from '../kube/discovery.js';
import type { Discovery } from '../kube/types.js';
import { resolveApp } from '../plan/child-apps.js';
import type { LastApplyLookup } from '../plan/ports.js';
import type { ToolPaths } from '../render/tools.js';
import { withOverrides, type AppOverrides } from '../source/apps.js';
import { appIdentity } from '../source/identity.js';
import type { AppSelection } from '../source/load.js';
import { assessHealth } from '../apply/health/assess.js';
import { podProblem, podView, workloadReason, type PodEvent } from '../apply/health/pod-reasons.js';
import type { EventRow } from '../watch/events.js';
import { readLiveSnapshot, type LiveReadClient } from '../watch/read.js';
import { buildLiveTree, type LiveTree, type TreeRules } from '../watch/tree.js';

export type { EventRow, EventSubject } from '../watch/events.js';
export type { ChildVia, LiveSnapshot, LiveTree, ReadGap, TreeNode, TreeRules, WatchEvent } from '../watch/tree.js';
export { APP_HEALTH_ORDER, applyWatchEvents, buildLiveTree, snapshotOf, worstHealth } from '../watch/tree.js';
export { readLiveSnapshot } from '../watch/read.js';

/** An Event row as the Pod reason rules read it. */
const podEvent = (e: EventRow): PodEvent => ({ type: e.type, reason: e.reason, message: e.message, involved: { kind: e.object.kind, name: e.object.name, ...(e.object.uid !== undefined && { uid: e.object.uid }) }, time: e.lastSeen });

/** The tree's rules: health by core/apply/health's per-kind rules, reasons by its Pod rules (issue 17). */
export const TREE_RULES: TreeRules = {
  health: (obj) => {
    const { status, message } = assessHealth(obj);
    return { status, message };
  },
  podReason: (pod, events) => {
    const found = podProblem(podView(pod, events.map(podEvent)));
    return found && `${found.match.detail} (${found.match.reason})`;
  },
  workloadReason: (workload, pods, events) => workloadReason(workload, pods, events.map(podEvent))?.text,
};

/** The live tree of one app, with what it is of. */
export interface AppLiveTree extends LiveTree {
  readonly app: { readonly name: string; readonly path: string; readonly namespace: string };
  readonly context: string;
  readonly server: string;
}

export interface LiveTreeRequest {
  readonly repo: Repository;
  /** How history names the repository (default: its folder), for the members the last apply left. */
  readonly repoLabel?: string;
  /** The revision the app is found at (its slipway.yaml, its identity); default HEAD. */
  readonly rev?: string;
  readonly selection: AppSelection;
  readonly kubeconfig: LoadedKubeconfig;
  readonly context: string;
  /** The app's namespace (-n), as for its plan: where its ApplySet parent is. */
  readonly overrides?: Pick<AppOverrides, 'namespace'>;
  /** Where materialized trees are kept (a child app is found by rendering its parent). */
  readonly cacheDir: string;
  readonly tools?: ToolPaths;
  /** What the app's last successful apply left (the history): a member of it not found is shown gone. */
  readonly lastApply?: LastApplyLookup;
  readonly requestTimeoutMs?: number;
  readonly concurrency?: number;
  /** At most this many Events (default 50). */
  readonly eventLimit?: number;
}

export async function liveTreeOf(req: LiveTreeRequest): Promise<AppLiveTree> {
  const revision = await req.repo.resolve(req.rev ?? 'HEAD');
  const { app: selected } = await resolveApp(req.repo, revision, req.selection, { cacheDir: req.cacheDir, ...(req.tools && { tools: req.tools }) });
  const app = withOverrides(selected, req.overrides ?? {}, contextNamespace(req.kubeconfig, req.context));
  const namespace = app.destination.namespace!;
  const identity = await appIdentity(req.repo, revision, app);
  const parent = parentForApp({ name: app.name, namespace, identity });
  const client = new KubeClient(req.kubeconfig, req.context, { ...(req.requestTimeoutMs !== undefined && { timeoutMs: req.requestTimeoutMs }) });
  try {
    const discovery = await discover(client);
    let expected: ResourceKey[] = [];
    if (req.lastApply) {
      const target = await resolveTarget(client);
      const applied = await req.lastApply.appliedObjects({ repo: req.repoLabel ?? req.repo.dir, app: app.name, clusterUid: target.clusterUid, clusterVersion: target.serverVersion.gitVersion });
      expected = keysOf([...applied.keys()], discovery);
    }
    const tree = await liveTreeOfParent({ client, discovery, parent, expected, ...(req.concurrency !== undefined && { concurrency: req.concurrency }), ...(req.eventLimit !== undefined && { eventLimit: req.eventLimit }) });
    return { ...tree, app: { name: app.name, path: app.path, namespace }, context: req.context, server: client.server };
  } finally {
    await client.close();
  }
}

/** The tree of the ApplySet of this parent, read once. */
export async function liveTreeOfParent(input: { readonly client: LiveReadClient; readonly discovery: Discovery; readonly parent: ApplySetParent; readonly expected?: readonly ResourceKey[]; readonly concurrency?: number; readonly eventLimit?: number }): Promise<LiveTree> {
  const snapshot = await readLiveSnapshot({ client: input.client, discovery: input.discovery, parent: input.parent, ...(input.expected && { expected: input.expected }), ...(input.concurrency !== undefined && { concurrency: input.concurrency }) });
  return buildLiveTree(snapshot, TREE_RULES, { ...(input.eventLimit !== undefined && { eventLimit: input.eventLimit }) });
}

/** History's identities ("group|kind|namespace|name") as keys, at each kind's preferred version (a kind the cluster no longer serves keeps none). */
function keysOf(identities: readonly string[], discovery: Discovery): ResourceKey[] {
  return identities.flatMap((id) => {
    const [group = '', kind = '', namespace = '', name = ''] = id.split('|');
    if (!kind || !name) return [];
    const version = preferredFor(discovery, group, kind)?.version ?? '';
    return [{ group, version, kind, ...(namespace !== '' && { namespace }), name }];
  });
}
