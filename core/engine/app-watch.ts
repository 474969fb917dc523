/**
 * Watching an applied app, for both front doors (`slipway watch`, the UI's drift badge): find the
 * app as a plan finds it (repository, revision, --app/--path), identify the cluster, read what the
 * app's last applies left there (the history), and follow each of those objects through the shared
 * watches of a WatchHub — drift as it happens (core/watch/drift.ts) and each object's health by
 * the per-kind rules of core/apply/health as it changes.
 *
 *   const watch = await watchApp({ repo, selection: { app: 'web' }, kubeconfig, context, cacheDir, history, listener });
 *   watch.report();   // every object's drift so far, and the watches' states
 *   await watch.close();
 *
 * Given the engine's WatchHubs (watch-hubs.ts), it leases the context's shared client and hub, so
 * the live tree of the same app shares its watches; without, it makes a client and a hub of its
 * own. Either is released when the watch closes. An app with no apply recorded on the context's
 * cluster is a NothingAppliedError (code `nothing-applied`), which names the app found.
 */
import { assessHealth } from '../apply/health/assess.js';
import type { Repository } from '../git/types.js';
import type { History } from '../history/port.js';
import type { AppliedObjectState } from '../history/types.js';
import type { LoadedKubeconfig } from '../kube/kubeconfig.js';
import { resolveTarget } from '../kube/target.js';
import type { HealthStatus } from '../model/health.js';
import { SlipwayError } from '../model/diagnostics.js';
import { identityOf, type ResourceKey } from '../model/resource.js';
import { resolveApp } from '../plan/child-apps.js';
import type { ToolPaths } from '../render/tools.js';
import type { AppSelection } from '../source/load.js';
import { watchDrift, type DriftListener, type DriftReport } from '../watch/drift.js';
import type { WatchHub, WatchHubOptions } from '../watch/watcher.js';
import { ownHub, type HubLease, type WatchHubs } from './watch-hubs.js';

export type { DriftReport, DriftStatus, DriftWatchState, ObjectDrift } from '../watch/drift.js';
export type { WatchPhase, WatchState } from '../watch/watcher.js';

/** One object's health as it changes. */
export interface ObjectHealthChange {
  readonly key: ResourceKey;
  readonly status: HealthStatus;
  readonly message: string;
}

export interface AppWatchListener extends DriftListener {
  /** An object's health changed (the first reading included). */
  onHealth?(health: ObjectHealthChange): void;
}

export interface AppWatchRequest {
  readonly repo: Repository;
  /** How plans and history name the repository (default: its folder). */
  readonly repoLabel?: string;
  /** The revision the app is found at (its slipway.yaml, its ignoreDifferences); default HEAD. */
  readonly rev?: string;
  readonly selection: AppSelection;
  readonly kubeconfig: LoadedKubeconfig;
  readonly context: string;
  /** Where materialized trees are kept (a child app is found by rendering its parent). */
  readonly cacheDir: string;
  readonly tools?: ToolPaths;
  readonly history: Pick<History, 'appliedState'>;
  /** The engine's shared hubs, one per context; default: a client and hub of its own. */
  readonly hubs?: WatchHubs;
  /** Options of the hub it makes when it has no `hubs` (tests: backoff, probes). */
  readonly hubOptions?: WatchHubOptions;
  readonly requestTimeoutMs?: number;
  readonly listener?: AppWatchListener;
  /** Changes this close together are judged once (default 100 ms). */
  readonly debounceMs?: number;
}

export interface AppWatch {
  readonly app: { readonly name: string; readonly path: string };
  readonly context: string;
  readonly server: string;
  readonly clusterUid: string;
  /** The objects followed: what the app's last applies left on this cluster. */
  readonly objects: readonly AppliedObjectState[];
  readonly hub: WatchHub;
  report(): DriftReport;
  close(): Promise<void>;
}

/** The history has no apply of the app to the context's cluster: nothing to compare with. */
export class NothingAppliedError extends SlipwayError {
  constructor(
    readonly app: { readonly name: string; readonly path: string },
    readonly context: string,
    readonly server: string,
  ) {
    super('nothing-applied', `the history has no apply of ${app.name} to the cluster of context ${context} (${server}): there is nothing to compare with`, {
      hint: 'apply the app first (slipway apply), or name the history that recorded it (--history)',
    });
    this.name = 'NothingAppliedError';
  }
}

export async function watchApp(req: AppWatchRequest): Promise<AppWatch> {
  const revision = await req.repo.resolve(req.rev ?? 'HEAD');
  const { app } = await resolveApp(req.repo, revision, req.selection, { cacheDir: req.cacheDir, ...(req.tools && { tools: req.tools }) });
  const leaseOptions = { ...(req.requestTimeoutMs !== undefined && { requestTimeoutMs: req.requestTimeoutMs }) };
  const lease: HubLease = req.hubs ? req.hubs.lease(req.kubeconfig, req.context, leaseOptions) : ownHub(req.kubeconfig, req.context, { ...leaseOptions, ...(req.hubOptions && { hubOptions: req.hubOptions }) });
  const { client, hub } = lease;
  try {
    const target = await resolveTarget(client);
    const objects = req.history.appliedState({ repo: req.repoLabel ?? req.repo.dir, app: app.name, clusterUid: target.clusterUid });
    if (objects.length === 0) throw new NothingAppliedError({ name: app.name, path: app.path }, req.context, target.server);
    const listener = req.listener ?? {};
    const health = new Map<string, string>();
    const drift = watchDrift({
      hub,
      resourceFor: (gvk) => client.resourceFor(gvk),
      applied: objects,
      ignore: app.options.ignoreDifferences,
      ...(req.debounceMs !== undefined && { debounceMs: req.debounceMs }),
      listener: {
        ...(listener.onDrift && { onDrift: (d) => listener.onDrift!(d) }),
        ...(listener.onState && { onState: (s) => listener.onState!(s) }),
        onObject: (key, live) => {
          listener.onObject?.(key, live);
          if (!listener.onHealth) return;
          const { status, message } = assessHealth(live);
          const id = identityOf(key);
          if (health.get(id) === `${status}\n${message}`) return;
          health.set(id, `${status}\n${message}`);
          listener.onHealth({ key, status, message });
        },
      },
    });
    return {
      app: { name: app.name, path: app.path },
      context: req.context,
      server: target.server,
      clusterUid: target.clusterUid,
      objects,
      hub,
      report: () => drift.report(),
      async close() {
        drift.close();
        await lease.release();
      },
    };
  } catch (err) {
    await lease.release();
    throw err;
  }
}
