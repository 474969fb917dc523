/**
 * One call from "repository, revision, app, context" to a Plan: resolve, select the app, render,
 * connect, compute. The CLI and the UI both use it.
 */
import type { Repository } from '../git/types.js';
import { KubeClient } from '../kube/client.js';
import { discover, resolveTarget } from '../kube/target.js';
import { contextNamespace, type LoadedKubeconfig } from '../kube/kubeconfig.js';
import { helmCapabilities } from '../render/capabilities.js';
import { renderApp } from '../render/render.js';
import type { ToolPaths } from '../render/tools.js';
import { withOverrides, type App, type AppOverrides } from '../source/apps.js';
import { appIdentity } from '../source/identity.js';
import type { AppSelection } from '../source/load.js';
import { controllerObjectsOnTarget, resolveApp } from './child-apps.js';
import { computePlan, type ComputePlanOptions } from './compute.js';
import type { LastApplyLookup, WhyOptions } from './ports.js';
import type { Plan } from './types.js';
import { withWhy, type WhyRequest } from './why/explain.js';
import type { Revision } from '../git/types.js';

export interface PlanRequest {
  readonly repo: Repository;
  /** How the plan names the repository (default: its folder). */
  readonly repoLabel?: string;
  readonly rev: string;
  readonly selection: AppSelection;
  readonly kubeconfig: LoadedKubeconfig;
  readonly context: string;
  /** Where materialized trees for kustomize/helm are kept. */
  readonly cacheDir: string;
  readonly tools?: ToolPaths;
  readonly concurrency?: number;
  /** What the app's last successful applies recorded (the history): lets a re-plan skip the dry-run of unchanged objects. */
  readonly lastApply?: LastApplyLookup;
  /** Give up on one API request after this long; default 30 s (KubeClient). */
  readonly requestTimeoutMs?: number;
  /** Namespace, prune and createNamespace chosen for this plan (flags, the UI's fields). */
  readonly overrides?: AppOverrides;
  /** Take over the app's ApplySet from another recorded owner, or an earlier version's shared set (--adopt). */
  readonly adopt?: boolean;
  /** A rollback plan names the run it goes back to; default: a normal plan. */
  readonly mode?: ComputePlanOptions['mode'];
  /** The app, already found (a child app of a plan of its parent); `selection` then only says how it was chosen. */
  readonly app?: App;
  /** List the commits behind each change (Change.why, core/plan/why): since the base, else since the last apply the history knows. */
  readonly why?: WhyOptions;
}

export async function planApp(req: PlanRequest): Promise<Plan> {
  const revision = await req.repo.resolve(req.rev);
  // A name may be a child app's: an Application that another app renders (app of apps).
  const selected = req.app ? { app: req.app, diagnostics: [] } : await resolveApp(req.repo, revision, req.selection, { cacheDir: req.cacheDir, ...(req.tools && { tools: req.tools }) });
  // Every namespace comes from one place: the override, the app's destination, else the selected context's (never $KUBECONFIG's current one).
  const app = withOverrides(selected.app, req.overrides ?? {}, contextNamespace(req.kubeconfig, req.context));
  const { diagnostics } = selected;
  const client = new KubeClient(req.kubeconfig, req.context, { ...(req.requestTimeoutMs !== undefined && { timeoutMs: req.requestTimeoutMs }) });
  try {
    // Helm renders for the target (its version and served APIs, as Argo CD does); computePlan reads the same target and discovery from the cache.
    const rendering = Promise.all([resolveTarget(client), discover(client)]).then(([target, discovery]) =>
      renderApp(req.repo, revision, app, { cacheDir: req.cacheDir, ...(req.tools && { tools: req.tools }), capabilities: helmCapabilities(target, discovery) }),
    );
    const [render, identity] = await Promise.all([rendering, appIdentity(req.repo, revision, app)]);
    // Argo CD's and Flux's objects are applied only where Argo CD / Flux runs; elsewhere their child apps are planned as apps.
    const argo = controllerObjectsOnTarget(render, await discover(client), app);
    const plan = await computePlan({
      client,
      // Problems of other apps in slipway.yaml do not block this one; they stay visible as warnings.
      render: { ...argo.render, diagnostics: [...diagnostics.filter((d) => d.severity !== 'info').map((d) => ({ ...d, severity: 'warning' as const })), ...render.diagnostics, ...argo.diagnostics] },
      app,
      identity,
      ...(req.adopt && { adopt: true }),
      ...(req.mode && { mode: req.mode }),
      knowsCommit: (oid) => req.repo.hasCommit(oid),
      repo: req.repoLabel ?? req.repo.dir,
      ...(req.concurrency !== undefined && { concurrency: req.concurrency }),
      ...(req.lastApply && { lastApply: req.lastApply }),
    });
    return req.why ? await withWhy(plan, await whyRequest(req, req.why, { plan, revision, app })) : plan;
  } finally {
    await client.close();
  }
}

/** What to list the commits since: the base asked for, else the commit the app's last apply to this cluster applied. */
async function whyRequest(req: PlanRequest, why: WhyOptions, at: { plan: Plan; revision: Revision; app: App }): Promise<WhyRequest> {
  const { plan, revision, app } = at;
  const common = { repo: req.repo, revision, app, sourceType: plan.inputs.app.sourceType };
  if (why.base !== undefined) {
    const base = await req.repo.resolve(why.base);
    return { ...common, base: { commit: base.kind === 'commit' ? base.oid : ':working', what: `the base ${why.base}` } };
  }
  const cluster = plan.inputs.cluster;
  const last = cluster && why.lastApplied?.({ repo: plan.inputs.repo, app: app.name, clusterUid: cluster.uid });
  if (last) return { ...common, base: { commit: last.commit, what: `the last apply of ${app.name} to this cluster (run ${last.runId})` } };
  return { ...common, noBase: why.lastApplied ? `the history has no apply of ${app.name} to this cluster` : 'the history was not read' };
}
