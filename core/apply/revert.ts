/**
 * "Revert apply N": a plan that restores exactly what run N changed — recreate what it deleted,
 * delete what it created, restore what it updated — from the before-snapshots in history.
 * Snapshots are stored with Secret values masked, so a Secret is restored from Git at the commit
 * of the app's previous successful apply; when there is none, the change is an error saying so.
 * The restored objects are built the same way at plan and at apply time, and checked by hash.
 */
import type { Repository } from '../git/types.js';
import type { History } from '../history/history.js';
import type { KubeClient } from '../kube/client.js';
import { computePlan } from '../plan/compute.js';
import type { Plan } from '../plan/types.js';
import type { RunDetail } from '../history/types.js';
import { lastAppliedBefore } from '../history/previous.js';
import { isPlainObject, type DesiredObject, type Manifest } from '../model/desired.js';
import { SlipwayError, type Diagnostic } from '../model/diagnostics.js';
import { formatKey, identityOf, type ResourceKey } from '../model/resource.js';
import { isSecret } from '../model/secrets.js';
import type { Revision } from '../git/types.js';
import { hashObjects, renderApp, type RenderResult } from '../render/render.js';
import type { ToolPaths } from '../render/tools.js';
import { appIdentity } from '../source/identity.js';
import { selectApp, selectionOf } from '../source/load.js';
import { resolveApp } from '../plan/child-apps.js';
import type { App } from '../source/apps.js';

/** What the cluster writes by itself: never part of a restored manifest. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];
const CONTROLLER_ANNOTATIONS = ['deployment.kubernetes.io/revision', 'kubectl.kubernetes.io/last-applied-configuration'];

export interface RevertSource {
  readonly app: App;
  readonly revision: Revision;
  /** A render-shaped value whose objects are the restored manifests (plan and apply use it alike). */
  readonly render: RenderResult;
  /** Objects the run created: the revert deletes them. */
  readonly deletes: readonly ResourceKey[];
}

/**
 * Changes that happened (the object was touched), as opposed to skipped or refused ones. `unknown`
 * may have happened: reverting it is planned against the live object, so if it did not, nothing changes.
 */
const TOUCHED = new Set(['applied', 'healthy', 'unhealthy', 'timeout', 'deleted', 'unknown']);

function restorable(snapshot: unknown, opts: { recreate: boolean }): Manifest {
  const obj = structuredClone(snapshot) as Manifest;
  const meta = obj.metadata as Record<string, unknown>;
  for (const f of SERVER_METADATA) delete meta[f];
  if (isPlainObject(meta.annotations)) {
    for (const a of CONTROLLER_ANNOTATIONS) delete meta.annotations[a];
    if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
  }
  delete obj.status;
  if (opts.recreate && obj.kind === 'Service' && isPlainObject(obj.spec)) {
    // The old cluster IP may be taken by now; let the server allocate one.
    delete obj.spec.clusterIP;
    delete obj.spec.clusterIPs;
  }
  return obj;
}

export async function revertSource(opts: { history: History; runId: string; repo: Repository; cacheDir: string; tools?: ToolPaths }): Promise<RevertSource> {
  const run = opts.history.run(opts.runId);
  if (!run) throw new SlipwayError('unknown-run', `no run ${opts.runId} in ${opts.history.path}`);
  if (run.status === 'running') throw new SlipwayError('run-in-progress', `run ${run.id} is still running: wait for it to finish before reverting it`);
  const plan = opts.history.planById(run.planId);
  const revision = await opts.repo.resolve(run.commit === ':working' ? ':working' : run.commit);
  const selection = selectionOf({ ...run.app, ...(plan?.inputs.app.selectedBy && { selectedBy: plan.inputs.app.selectedBy }) });
  // resolveApp: a child app of an app of apps is found again by rendering its parent.
  const selected = (await resolveApp(opts.repo, revision, selection, { cacheDir: opts.cacheDir, ...(opts.tools && { tools: opts.tools }) })).app;
  // The run's namespace, not whatever the kubeconfig says today.
  const recorded = plan?.inputs.app.namespace;
  const app = recorded === undefined ? selected : { ...selected, destination: { ...selected.destination, namespace: recorded } };

  const secretsBefore = await secretsOfPreviousApply(run, { ...opts, ...(app.destination.namespace !== undefined && { namespace: app.destination.namespace }) });
  const objects: DesiredObject[] = [];
  const deletes: ResourceKey[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const r of run.objects) {
    // A hook ran at a phase and went by its delete policy: undoing the run does not run it backwards.
    if (!TOUCHED.has(r.outcome) || r.hook !== undefined) continue;
    if (r.action === 'create') {
      deletes.push(r.key);
      continue;
    }
    if (r.action !== 'update' && r.action !== 'replace' && r.action !== 'delete') continue;
    const snapshot = r.beforeHash ? opts.history.snapshot(r.beforeHash) : undefined;
    if (!snapshot) {
      diagnostics.push({ severity: 'error', code: 'revert-no-snapshot', message: `${formatKey(r.key)}: run ${run.id} kept no copy of it from before the change, so it cannot be restored`, resource: r.key });
      continue;
    }
    let manifest = restorable(snapshot, { recreate: r.action === 'delete' });
    if (isSecret(manifest)) {
      const fromGit = secretsBefore.objects.get(identityOf(r.key));
      if (!fromGit) {
        diagnostics.push({ severity: 'error', code: 'revert-secret', message: `${formatKey(r.key)}: Secret values are never stored, and ${secretsBefore.why}; restore it by hand or roll back to a commit that has it`, resource: r.key });
        continue;
      }
      manifest = { ...manifest, ...(fromGit.data !== undefined && { data: fromGit.data }), ...(fromGit.stringData !== undefined && { stringData: fromGit.stringData }) };
      if (fromGit.data === undefined) delete manifest.data;
    }
    objects.push({ key: r.key, manifest, source: { file: `history: run ${run.id}` } });
  }
  objects.sort((a, b) => identityOf(a.key).localeCompare(identityOf(b.key)));
  const render: RenderResult = {
    app,
    revision,
    sourceType: plan?.inputs.app.sourceType === 'kustomize' || plan?.inputs.app.sourceType === 'helm' ? plan.inputs.app.sourceType : 'directory',
    treeOid: plan?.inputs.treeOid ?? '',
    objects,
    diagnostics,
    renderedHash: hashObjects(objects),
  };
  return { app, revision, render, deletes };
}

/**
 * The Secrets of the app at the commit of its last successful apply before `run`, rendered from Git
 * as that apply had them: the app chosen the same way (by name, or its folder), in the namespace
 * recorded with its plan (else `namespace`, the reverted run's) — a folder app applied with -n names none itself.
 */
async function secretsOfPreviousApply(run: RunDetail, opts: { history: History; repo: Repository; cacheDir: string; tools?: ToolPaths; namespace?: string }): Promise<{ objects: Map<string, Manifest>; why: string }> {
  const previous = lastAppliedBefore(opts.history, run);
  if (!previous) return { objects: new Map(), why: 'there is no earlier successful apply of this app to take the values from' };
  const revision = await opts.repo.resolve(previous.commit === ':working' ? ':working' : previous.commit);
  const recorded = opts.history.planById(previous.planId)?.inputs.app;
  const selection = selectionOf({ ...previous.app, ...(recorded?.selectedBy && { selectedBy: recorded.selectedBy }) });
  const { app: selected } = await resolveApp(opts.repo, revision, selection, { cacheDir: opts.cacheDir, ...(opts.tools && { tools: opts.tools }) }).catch(() => selectApp(opts.repo, revision, { path: previous.app.path }));
  const namespace = recorded?.namespace ?? opts.namespace;
  const app = namespace === undefined ? selected : { ...selected, destination: { ...selected.destination, namespace } };
  const rendered = await renderApp(opts.repo, revision, app, { cacheDir: opts.cacheDir, ...(opts.tools && { tools: opts.tools }) });
  const ns = app.destination.namespace;
  const objects = new Map<string, Manifest>();
  for (const o of rendered.objects) {
    if (!isSecret(o.manifest)) continue;
    const key = o.key.namespace || !ns ? o.key : { ...o.key, namespace: ns };
    objects.set(identityOf(key), o.manifest);
  }
  return { objects, why: `the earlier apply ${previous.id} (${previous.commit.slice(0, 12)}) does not have it in Git` };
}

/** The revert plan of a run: computed like any plan (dry-run against the cluster), applied like any plan. */
export async function planRevert(opts: { history: History; runId: string; repo: Repository; client: KubeClient; cacheDir: string; tools?: ToolPaths }): Promise<Plan> {
  const source = await revertSource(opts);
  return computePlan({
    client: opts.client,
    render: source.render,
    app: { ...source.app, options: { ...source.app.options, prune: false } },
    identity: await appIdentity(opts.repo, source.revision, source.app),
    knowsCommit: (oid) => opts.repo.hasCommit(oid),
    repo: opts.repo.dir,
    revert: { runId: opts.runId, deletes: source.deletes },
  });
}
