/**
 * The live tree of an app on a context, for both front doors (`slipway status`, the UI's
 * `liveTree` command): find the app's ApplySet parent from the repository (the app and its
 * identity at a revision, as a plan finds it; nothing is rendered), read the cluster once
 * (core/watch/read.ts) and build the tree (core/watch/tree.ts) with the per-kind health rules and
 * the Pod reasons of core/apply/health (TREE_RULES: the watch floor is below them).
 *
 * watchLiveTreeOf keeps the tree current instead of reading again: one read, then the shared
 * watches of a WatchHub (core/watch/watcher.ts) feed each change through applyWatchEvents and the
 * tree is built again after each batch (core/watch/live-tree-watch.ts). Given the engine's
 * WatchHubs (watch-hubs.ts), it leases the context's shared client and hub, so the drift check of
 * the same app (app-watch.ts) shares its watches.
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
import { watchLiveTree, type LiveTreeWatch } from '../watch/live-tree-watch.js';
import { readLiveSnapshot, type LiveReadClient } from '../watch/read.js';
import { buildLiveTree, type LiveTree, type TreeRules } from '../watch/tree.js';
import type { WatchHubOptions } from '../watch/watcher.js';
import { ownHub, type WatchHubs } from './watch-hubs.js';

export type { TreeNode } from '../watch/tree.js';
export { buildLiveTree, snapshotOf } from '../watch/tree.js';

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

/** The app as a plan finds it, its ApplySet parent, and what its last apply left on this cluster. */
async function appOnCluster(req: LiveTreeRequest, client: KubeClient): Promise<{ app: AppLiveTree['app']; parent: ApplySetParent; discovery: Discovery; expected: ResourceKey[] }> {
  const revision = await req.repo.resolve(req.rev ?? 'HEAD');
  const { app: selected } = await resolveApp(req.repo, revision, req.selection, { cacheDir: req.cacheDir, ...(req.tools && { tools: req.tools }) });
  const app = withOverrides(selected, req.overrides ?? {}, contextNamespace(req.kubeconfig, req.context));
  const namespace = app.destination.namespace!;
  const identity = await appIdentity(req.repo, revision, app);
  const parent = parentForApp({ name: app.name, namespace, identity });
  const [discovery, target] = await Promise.all([discover(client), req.lastApply && resolveTarget(client)]);
  let expected: ResourceKey[] = [];
  if (req.lastApply && target) {
    const applied = await req.lastApply.appliedObjects({ repo: req.repoLabel ?? req.repo.dir, app: app.name, clusterUid: target.clusterUid, clusterVersion: target.serverVersion.gitVersion });
    expected = keysOf([...applied.keys()], discovery);
  }
  return { app: { name: app.name, path: app.path, namespace }, parent, discovery, expected };
}

const clientFor = (req: LiveTreeRequest): KubeClient => new KubeClient(req.kubeconfig, req.context, { ...(req.requestTimeoutMs !== undefined && { timeoutMs: req.requestTimeoutMs }) });

/** The app's live tree, read once. */
export async function liveTreeOf(req: LiveTreeRequest): Promise<AppLiveTree> {
  const client = clientFor(req);
  try {
    const { app, parent, discovery, expected } = await appOnCluster(req, client);
    const tree = await liveTreeOfParent({ client, discovery, parent, expected, ...(req.concurrency !== undefined && { concurrency: req.concurrency }), ...(req.eventLimit !== undefined && { eventLimit: req.eventLimit }) });
    return { ...tree, app, context: req.context, server: client.server };
  } finally {
    await client.close();
  }
}

export interface LiveTreeWatchRequest extends LiveTreeRequest {
  /** Called with the tree once read, then after each batch of changes. */
  readonly onTree: (tree: AppLiveTree) => void;
  /** Changes this close together make one rebuild (default 100 ms). */
  readonly debounceMs?: number;
  /** The engine's shared hubs, one per context; default: a client and hub of its own. */
  readonly hubs?: WatchHubs;
  /** Options of the WatchHub it makes when it has no `hubs` (tests: backoff, probes). */
  readonly hubOptions?: WatchHubOptions;
}

export interface AppLiveTreeWatch {
  tree(): AppLiveTree;
  /** Each watch the tree uses and its state (a view says "reconnecting" from it). */
  states(): ReturnType<LiveTreeWatch['states']>;
  close(): Promise<void>;
}

/**
 * The app's live tree kept current by watches (core/watch/live-tree-watch.ts): read once, then one
 * watch per kind and namespace the tree shows, shared through the context's hub of `hubs`, else a WatchHub of its own.
 */
export async function watchLiveTreeOf(req: LiveTreeWatchRequest): Promise<AppLiveTreeWatch> {
  const leaseOptions = { ...(req.requestTimeoutMs !== undefined && { requestTimeoutMs: req.requestTimeoutMs }) };
  const lease = req.hubs ? req.hubs.lease(req.kubeconfig, req.context, leaseOptions) : ownHub(req.kubeconfig, req.context, { ...leaseOptions, ...(req.hubOptions && { hubOptions: req.hubOptions }) });
  const { client, hub } = lease;
  try {
    const { app, parent, discovery, expected } = await appOnCluster(req, client);
    const initial = await readLiveSnapshot({ client, discovery, parent, expected, ...(req.concurrency !== undefined && { concurrency: req.concurrency }) });
    const withApp = (tree: LiveTree): AppLiveTree => ({ ...tree, app, context: req.context, server: client.server });
    const watch = watchLiveTree({
      hub,
      discovery,
      initial,
      rules: TREE_RULES,
      onTree: (tree) => req.onTree(withApp(tree)),
      ...(req.debounceMs !== undefined && { debounceMs: req.debounceMs }),
      ...(req.eventLimit !== undefined && { build: { eventLimit: req.eventLimit } }),
    });
    return {
      tree: () => withApp(watch.tree()),
      states: () => watch.states(),
      async close() {
        watch.close();
        await lease.release();
      },
    };
  } catch (err) {
    await lease.release();
    throw err;
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
