/**
 * A plan of an app of apps: the parent's Plan and, for each child app whose source is this
 * repository (core/plan/child-apps.ts), the child's own Plan at the same revision and context.
 * The Plan type stays one app's plan; the set only wraps plans, and each applies as its own run.
 *
 * Children follow their own Application (namespace, prune, createNamespace): the flags given for
 * the parent (--namespace, --prune, --create-namespace, --adopt) are the parent's only.
 */
import type { Revision } from '../git/types.js';
import { SlipwayError } from '../model/diagnostics.js';
import type { App } from '../source/apps.js';
import { loadApps } from '../source/load.js';
import { childrenOf, findNode, loadAppTree, mayRenderChildren, resolveApp, type AppNode } from './child-apps.js';
import { planApp, type PlanRequest } from './service.js';
import type { Plan } from './types.js';

export interface ChildPlan {
  /** The child app's name (what `--app` takes) and its parent's. */
  readonly app: string;
  readonly parent: string;
  readonly path: string;
  /** Absent when planning it failed (`error` says why). */
  readonly plan?: Plan;
  readonly error?: { readonly code: string; readonly message: string };
  readonly children: readonly ChildPlan[];
}

export interface PlanSet {
  readonly plan: Plan;
  /** Child apps in name order, each with its own children; empty for an app that defines none. */
  readonly children: readonly ChildPlan[];
}

/** Plans the app, then each of its child apps (and theirs), one after the other. */
export async function planAppSet(req: PlanRequest): Promise<PlanSet> {
  const plan = await planApp(req);
  // Only an app whose rendering holds Argo CD objects or Flux HelmReleases left out has children (the plan's note says so): others cost nothing more.
  return { plan, children: rendersChildApps(plan) ? await planChildApps(req) : [] };
}

/**
 * The plan's app renders child apps (its plan carries a note of core/plan/child-apps.ts): Argo CD
 * objects, or Flux HelmReleases on a cluster without Flux. Where Flux runs, its helm-controller
 * installs the HelmReleases' charts: they are not planned as children of the set.
 */
export function rendersChildApps(plan: Pick<Plan, 'diagnostics'>): boolean {
  return plan.diagnostics.some((d) => d.code === 'argocd-child-apps' || d.code === 'argocd-served' || d.code === 'flux-child-apps');
}

/** The plans of the app's child apps (and theirs), at the request's revision and context; empty for an app that defines none. */
export async function planChildApps(req: PlanRequest): Promise<ChildPlan[]> {
  const revision = await req.repo.resolve(req.rev);
  return planChildren(req, await childNodes(req, revision));
}

/** The selected app's children, found as `slipway apps` finds them (names settled over the whole repository). */
async function childNodes(req: PlanRequest, revision: Revision): Promise<readonly AppNode[]> {
  const opts = { cacheDir: req.cacheDir, ...(req.tools && { tools: req.tools }) };
  const catalog = await loadApps(req.repo, revision);
  const app: App = req.app ?? (await resolveApp(req.repo, revision, req.selection, opts)).app;
  if (!(await mayRenderChildren(req.repo, revision, app, catalog))) return [];
  const tree = await loadAppTree(req.repo, revision, { ...opts, catalog });
  const node = findNode(tree, req.selection.path !== undefined ? { path: req.selection.path } : { app: app.name });
  if (node) return node.children;
  // A folder picked with --path in a repository that defines apps: its children, named as they are.
  const found = await childrenOf(req.repo, revision, app, { ...opts, catalog });
  return found.apps.map((child) => ({ app: child, children: [] }));
}

async function planChildren(req: PlanRequest, nodes: readonly AppNode[]): Promise<ChildPlan[]> {
  const plans: ChildPlan[] = [];
  for (const node of nodes) {
    const child = node.app;
    const base = { app: child.name, parent: child.parent ?? '', path: child.path };
    let planned: Pick<ChildPlan, 'plan' | 'error'>;
    try {
      const { overrides: _overrides, adopt: _adopt, mode: _mode, ...rest } = req;
      planned = { plan: await planApp({ ...rest, selection: { app: child.name }, app: child }) };
    } catch (err) {
      planned = { error: { code: err instanceof SlipwayError ? err.code : 'plan-failed', message: err instanceof Error ? err.message : String(err) } };
    }
    plans.push({ ...base, ...planned, children: await planChildren(req, node.children) });
  }
  return plans;
}

/** Every child plan, parents before their children. */
export function childPlansInOrder(set: Pick<PlanSet, 'children'>): ChildPlan[] {
  const out: ChildPlan[] = [];
  const walk = (c: ChildPlan): void => {
    out.push(c);
    c.children.forEach(walk);
  };
  set.children.forEach(walk);
  return out;
}

/** The cluster runs Argo CD (the parent's plan says its Argo CD objects are applied as objects): Argo CD syncs the children. */
export function argoCdSyncsChildren(set: Pick<PlanSet, 'plan'>): boolean {
  return set.plan.diagnostics.some((d) => d.code === 'argocd-served');
}
