/**
 * App of apps, on the floor that can render: which apps a repository holds at a revision with
 * the child apps their renderings define (a tree), finding a child app by name, and what a plan
 * does with the Argo CD objects an app renders.
 *
 * - The tree: every app of the catalog (or, in a repository that defines none, every folder that
 *   looks like an app) whose files mention argoproj.io is rendered; the Applications and
 *   ApplicationSets it renders become its children (core/source/children.ts), and so on for
 *   theirs (a child that is one of its ancestors again is left out, with a note).
 * - A child app's name is its Application's metadata.name. When another app already has that name
 *   (an app of slipway.yaml or of the repository's files, or an earlier child: parents in name
 *   order, depth first), the child is named "<parent>-<name>", with a warning; a name still taken
 *   after that is left out, with a warning. An Application the repository's files define and an
 *   app renders too (a folder of Application files) is one app: it keeps its name and is listed
 *   under its parent.
 * - On a cluster that does not serve Argo CD's API (discovery), Application, ApplicationSet and
 *   AppProject objects are left out of the plan's changes with a note: their child apps are
 *   planned as Slipway apps instead. On a cluster that serves them they are planned as objects
 *   (Argo CD syncs them) and the note says so.
 * - Flux's objects likewise (HelmRelease, Kustomization, GitRepository, HelmRepository,
 *   OCIRepository… of *.toolkit.fluxcd.io): on a cluster that does not serve their kinds (no Flux)
 *   and whose plan does not create their CRDs, they are left out with one note — the HelmReleases
 *   are child apps, planned as Slipway apps; the rest only Flux reads. Where Flux runs they are
 *   applied as objects (Flux installs the charts), with a note.
 */
import { basename } from 'node:path';
import type { Repository, Revision } from '../git/types.js';
import { resourceFor } from '../kube/discovery.js';
import type { Discovery } from '../kube/types.js';
import { SlipwayError, type Diagnostic } from '../model/diagnostics.js';
import { closureSnapshot, KUSTOMIZATION_FILES } from '../render/closure.js';
import { renderApp, type RenderResult } from '../render/render.js';
import type { ToolPaths } from '../render/tools.js';
import { compareApps, compareStrings, defaultApp, type App } from '../source/apps.js';
import { isPlainObject } from '../model/desired.js';
import type { AppCandidate } from '../source/candidates.js';
import { ARGO_GROUP, ARGO_KINDS, importChildApps, isArgoObject, isFluxObject, overlaidBases } from '../source/children.js';
import { loadApps, mayRenderApplications, selectApp, type AppCatalog, type AppSelection } from '../source/load.js';

export interface ChildAppOptions {
  /** Where materialized trees for kustomize/helm are kept. */
  readonly cacheDir: string;
  readonly tools?: ToolPaths;
}

export interface AppNode {
  readonly app: App;
  /** Its child apps, sorted by name. */
  readonly children: readonly AppNode[];
}

export interface AppTree {
  readonly catalog: AppCatalog;
  /** The catalog's apps with their children (apps that are some app's child are listed there only). */
  readonly apps: readonly AppNode[];
  /** In a repository that defines no apps: the folders that look like apps, each as the app `--path` gives, with its children. */
  readonly folders: readonly (AppNode & { readonly folder: AppCandidate })[];
  /** The catalog's diagnostics, and what finding the children said. */
  readonly diagnostics: readonly Diagnostic[];
  /** Flux HelmReleases of the repository's files that kustomize overlays render (apps/base patched by apps/staging): not listed, their overlays' children are. */
  readonly bases: readonly OverlaidBase[];
}

/** A HelmRelease of the repository's files that overlays render with their patches, and the child apps that are it there. */
export interface OverlaidBase {
  readonly base: App;
  readonly children: readonly App[];
}

/** How deep children of children are followed. */
const MAX_DEPTH = 5;

/** The apps of the repository at the revision, with their child apps. */
export async function loadAppTree(repo: Repository, revision: Revision, opts: ChildAppOptions & { catalog?: AppCatalog }): Promise<AppTree> {
  const catalog = opts.catalog ?? (await loadApps(repo, revision));
  const diagnostics: Diagnostic[] = [...catalog.diagnostics];
  // A Flux source that cannot be followed is named once, however many renderings refer to it (core/source/gitops/flux-sources.ts).
  const unfollowed = new Set(diagnostics.filter(isUnfollowedSource).map(sourceId));
  const names = new Names(catalog.apps);
  const bases = new Map<App, App[]>();
  // An app of the catalog is built once, whether it is reached as a root or as some app's child.
  const built = new Map<App, Promise<AppNode>>();
  const build = async (app: App, ancestors: readonly App[]): Promise<AppNode> => {
    const original = names.original(app) ?? (catalog.apps.includes(app) ? app : undefined);
    if (!original) return buildNode(app, ancestors);
    let node = built.get(original);
    if (!node) built.set(original, (node = buildNode(app, ancestors)));
    return { ...(await node), app };
  };
  const buildNode = async (app: App, ancestors: readonly App[]): Promise<AppNode> => {
    if (ancestors.length >= MAX_DEPTH || !(await mayRenderChildren(repo, revision, app, catalog))) return { app, children: [] };
    const found = await childrenOf(repo, revision, app, { ...opts, catalog });
    for (const d of found.diagnostics) {
      if (isUnfollowedSource(d) && unfollowed.has(sourceId(d))) continue;
      if (isUnfollowedSource(d)) unfollowed.add(sourceId(d));
      diagnostics.push(d);
    }
    const children: App[] = [];
    for (const child of found.apps) {
      const loop = [...ancestors, app].find((a) => sameSource(a, child));
      if (loop) {
        diagnostics.push(note(child, 'info', 'child-app-cycle', `child app ${child.name} of ${app.name} renders the same folder as ${loop.name === app.name ? 'its parent' : `its ancestor ${loop.name}`} (${loop.path || '.'}); it is that app, not a child`));
        continue;
      }
      const base = found.bases.get(child);
      const named = base ? names.settleOverlay(child, app, diagnostics) : names.settle(child, app, diagnostics);
      if (!named) continue;
      children.push(named);
      if (base) bases.set(base, [...(bases.get(base) ?? []), named]);
    }
    const nodes: AppNode[] = [];
    for (const child of children.sort(compareApps)) nodes.push(await build(child, [...ancestors, app]));
    return { app, children: nodes };
  };

  const roots: AppNode[] = [];
  for (const app of catalog.apps) roots.push(await build(app, []));
  const folders: (AppNode & { folder: AppCandidate })[] = [];
  if (catalog.apps.length === 0) {
    for (const folder of catalog.folders ?? []) folders.push({ folder, ...(await build(defaultApp(folder.path, { repoName: basename(repo.dir) }), [])) });
  }
  // An app of the repository's files that an app renders too is listed under that app only.
  const adopted = new Set<App>();
  const mark = (n: AppNode): void => n.children.forEach((c) => (adopted.add(names.original(c.app) ?? c.app), mark(c)));
  [...roots, ...folders].forEach(mark);
  // A HelmRelease that overlays render with their patches is listed as their children only, as Flux applies it.
  for (const [base, children] of bases) diagnostics.push(overlaidNote(base, children));
  return { catalog, apps: roots.filter((n) => !adopted.has(n.app) && !bases.has(n.app)), folders, diagnostics, bases: [...bases].map(([base, children]) => ({ base, children })) };
}

function overlaidNote(base: App, children: readonly App[]): Diagnostic {
  const object = base.origin.object;
  const parents = [...new Set(children.map((c) => c.parent ?? ''))];
  return note(
    base,
    'info',
    'flux-base-overlaid',
    `HelmRelease ${object?.namespace ? `${object.namespace}/` : ''}${object?.name ?? base.name} is a kustomize base, rendered by the overlay${parents.length === 1 ? '' : 's'} of ${parents.join(' and ')}${parents.length === 1 ? '' : ', each with its own patches'}: it is planned as ${children.map((c) => c.name).join(' and ')}, not as an app of its own`,
  );
}

function isUnfollowedSource(d: Diagnostic): boolean {
  return d.code === 'flux-source-unfollowed' && d.resource !== undefined;
}

function sourceId(d: Diagnostic): string {
  return `${d.resource?.kind}\0${d.resource?.namespace ?? ''}\0${d.resource?.name}`;
}

/** Every app of the tree, parents before their children. */
export function appsOfTree(tree: Pick<AppTree, 'apps' | 'folders'>): App[] {
  const all: App[] = [];
  const walk = (n: AppNode): void => {
    all.push(n.app);
    n.children.forEach(walk);
  };
  [...tree.apps, ...tree.folders].forEach(walk);
  return all;
}

/** The node of an app of the tree (a child, or an app with its children), by name; or a folder's, by path. */
export function findNode(tree: Pick<AppTree, 'apps' | 'folders'>, sel: AppSelection): AppNode | undefined {
  const walk = (nodes: readonly AppNode[]): AppNode | undefined => {
    for (const n of nodes) {
      if (sel.app !== undefined && n.app.name === sel.app && n.app.origin.kind !== 'folder') return n;
      const found = walk(n.children);
      if (found) return found;
    }
    return undefined;
  };
  if (sel.path !== undefined) return tree.folders.find((f) => f.app.path === sel.path);
  return walk([...tree.apps, ...tree.folders]);
}

/**
 * The app a selection names, like selectApp, but a name may also be a child app's: one that an
 * app's rendering defines (found by rendering the apps that may render Applications).
 */
export async function resolveApp(repo: Repository, revision: Revision, sel: AppSelection, opts: ChildAppOptions): Promise<{ app: App; diagnostics: readonly Diagnostic[] }> {
  let selected: { app: App; diagnostics: readonly Diagnostic[] } | undefined;
  try {
    selected = await selectApp(repo, revision, sel);
  } catch (err) {
    if (!(err instanceof SlipwayError) || err.code !== 'unknown-app' || sel.app === undefined) throw err;
    const tree = await loadAppTree(repo, revision, opts);
    const node = findNode(tree, { app: sel.app });
    if (node) return { app: node.app, diagnostics: tree.catalog.diagnostics };
    const names = appsOfTree(tree).filter((a) => a.origin.kind !== 'folder').map((a) => a.name);
    throw new SlipwayError('unknown-app', `no app named ${sel.app} at this revision${names.length ? `; apps: ${names.join(', ')}` : ' (the repository defines no apps: use --path to pick a folder)'}`, { hint: '`slipway apps` lists them, child apps under their parent' });
  }
  if (sel.app !== undefined && selected.app.origin.object?.kind === 'HelmRelease') await refuseOverlaidBase(repo, revision, selected.app, opts);
  return selected;
}

/**
 * A Flux HelmRelease of the repository's files that kustomize overlays render with their patches is
 * not planned by itself (Flux never applies the base as written): the error names its overlays' children.
 */
async function refuseOverlaidBase(repo: Repository, revision: Revision, app: App, opts: ChildAppOptions): Promise<void> {
  // Only a kustomize build renders a base patched (overlaidBases): when no kustomization of the repository reads the app's file, it is none, and the app tree (a render of every app that may have children) is not needed to tell.
  if (app.origin.file === undefined || !(await readByAKustomization(repo, revision, app.origin.file))) return;
  const tree = await loadAppTree(repo, revision, opts);
  const found = tree.bases.find((b) => b.base.name === app.name && b.base.origin.file === app.origin.file && b.base.origin.line === app.origin.line);
  if (!found) return;
  const children = found.children.map((c) => c.name);
  const parents = [...new Set(found.children.map((c) => c.parent))];
  throw new SlipwayError('unknown-app', `${app.name} is the HelmRelease of ${app.origin.file ?? '?'}, a kustomize base rendered by the overlay${parents.length === 1 ? '' : 's'} of ${parents.join(' and ')}: it is planned as ${children.join(' or ')}`, {
    hint: `choose ${children.join(' or ')} (\`slipway apps\` lists them under the apps that render them)`,
  });
}

/**
 * Whether rendering `app` may give child apps: a file under its folder mentions Argo CD's API or a
 * Flux HelmRelease — or, for a kustomization, a file its build reads does (Flux's apps/staging
 * with `resources: [../base/podinfo]` and no patch of its own).
 */
export async function mayRenderChildren(repo: Repository, revision: Revision, app: App, catalog: Pick<AppCatalog, 'argoFiles' | 'files'>): Promise<boolean> {
  if (mayRenderApplications(app, catalog)) return true;
  const argoFiles = catalog.argoFiles ?? [];
  const files = new Set(catalog.files ?? []);
  if (argoFiles.length === 0 || app.source.chart || (app.source.type !== 'auto' && app.source.type !== 'kustomize')) return false;
  if (!KUSTOMIZATION_FILES.some((name) => files.has(app.path ? `${app.path}/${name}` : name))) return false;
  const read = await kustomizeReads(repo, revision, app.path);
  return argoFiles.some((f) => read.has(f));
}

/** The files of the repository that the kustomize build of a folder reads (core/render/closure.ts, which keeps them per tree and folder). */
async function kustomizeReads(repo: Repository, revision: Revision, folder: string): Promise<ReadonlySet<string>> {
  const whole = await repo.snapshot(revision, '');
  return new Set((await closureSnapshot(repo, whole, { type: 'kustomize', appPath: folder })).snapshot.files.map((f) => f.path));
}

/** Whether the kustomize build of some folder of the repository (one with a kustomization file) reads `file`. */
async function readByAKustomization(repo: Repository, revision: Revision, file: string): Promise<boolean> {
  const whole = await repo.snapshot(revision, '');
  const kustomizations = (KUSTOMIZATION_FILES as readonly string[]).map((name) => `/${name}`);
  const folders = new Set(whole.files.map((f) => `/${f.path}`).flatMap((p) => kustomizations.filter((k) => p.endsWith(k)).map((k) => p.slice(1, -k.length))));
  for (const folder of folders) if ((await kustomizeReads(repo, revision, folder)).has(file)) return true;
  return false;
}

/** The child apps `app` renders (names not yet settled against other apps), and the apps of the repository's files some of them stand in for (child → base). */
export async function childrenOf(repo: Repository, revision: Revision, app: App, opts: ChildAppOptions & { catalog: AppCatalog }): Promise<{ apps: readonly App[]; diagnostics: readonly Diagnostic[]; bases: ReadonlyMap<App, App> }> {
  let render: RenderResult;
  try {
    render = await renderApp(repo, revision, app, { cacheDir: opts.cacheDir, ...(opts.tools && { tools: opts.tools }) });
  } catch (err) {
    return { apps: [], diagnostics: [note(app, 'warning', 'child-apps-unknown', `app ${app.name} could not be rendered to find the child apps it defines: ${err instanceof Error ? err.message : String(err)}`)], bases: new Map() };
  }
  const failed = render.diagnostics.find((d) => d.severity === 'error');
  if (failed) return { apps: [], diagnostics: [note(app, 'warning', 'child-apps-unknown', `app ${app.name} does not render cleanly, so the child apps it defines are not known: ${failed.message}`)], bases: new Map() };
  const found = importChildApps(app, render.objects, { files: opts.catalog.files ?? [] });
  // A kustomization's HelmReleases may be bases of other folders it patches (Flux's apps/base + apps/staging): the files its build reads tell.
  if (render.sourceType !== 'kustomize' || !found.apps.some((c) => c.origin.object?.kind === 'HelmRelease')) return { ...found, bases: new Map() };
  const read = await kustomizeReads(repo, revision, app.path);
  return { ...found, bases: overlaidBases(found.apps, opts.catalog.apps, (file) => read.has(file)) };
}

/** Two apps render the same thing: same folder, same source type and Helm options. */
function sameSource(a: App, b: App): boolean {
  return a.path === b.path && JSON.stringify(a.source) === JSON.stringify(b.source);
}

function note(app: App, severity: Diagnostic['severity'], code: string, message: string): Diagnostic {
  return { severity, code, message, ...(app.origin.file !== undefined && { location: { file: app.origin.file, ...(app.origin.line !== undefined && { line: app.origin.line }) } }) };
}

/** The names taken so far, and the rule that names a child. */
class Names {
  private readonly taken = new Map<string, App>();
  /** A child that is an app of the repository's files: that app. */
  private readonly originals = new Map<App, App>();

  constructor(apps: readonly App[]) {
    for (const a of apps) this.taken.set(a.name, a);
  }

  original(child: App): App | undefined {
    return this.originals.get(child);
  }

  /**
   * A child that is a base of the repository's files rendered by its parent's overlay: named
   * "<parent>-<name>" (each overlay renders its own, and the base keeps its name out of the way),
   * else as `settle` names it.
   */
  settleOverlay(child: App, parent: App, diagnostics: Diagnostic[]): App | undefined {
    const renamed = `${parent.name}-${child.name}`;
    if (this.taken.has(renamed) || renamed.length > 63) return this.settle(child, parent, diagnostics);
    return this.take({ ...child, name: renamed });
  }

  /** The child with its settled name, or undefined when it is left out. */
  settle(child: App, parent: App, diagnostics: Diagnostic[]): App | undefined {
    const same = [...this.taken.values()].find((a) => a.parent === undefined && a.origin.kind === child.origin.kind && a.origin.file === child.origin.file && a.origin.line === child.origin.line && sameSource(a, child));
    if (same) {
      const named = { ...child, name: same.name };
      this.originals.set(named, same);
      return named;
    }
    const clash = this.taken.get(child.name);
    if (!clash) return this.take(child);
    const renamed = `${parent.name}-${child.name}`;
    if (this.taken.has(renamed) || renamed.length > 63) {
      diagnostics.push(note(child, 'warning', 'child-app-name-clash', `child app ${child.name} of ${parent.name} is left out: ${child.name} is ${describe(clash)}, and ${renamed} is taken too`));
      return undefined;
    }
    diagnostics.push(note(child, 'warning', 'child-app-name-clash', `child app ${child.name} of ${parent.name} is named ${renamed}: ${child.name} is ${describe(clash)}`));
    return this.take({ ...child, name: renamed });
  }

  private take(app: App): App {
    this.taken.set(app.name, app);
    return app;
  }
}

function describe(app: App): string {
  if (app.parent !== undefined) return `already a child app of ${app.parent}`;
  return `the app defined in ${app.origin.file ?? app.origin.kind}${app.origin.line !== undefined ? `:${app.origin.line}` : ''}`;
}

/** The Argo CD objects of a rendering, and whether this cluster serves each kind. */
export interface ArgoObjectsOnTarget {
  /** The rendering without the Argo CD objects the cluster does not serve (renderedHash unchanged: apply re-renders the same bytes). */
  readonly render: RenderResult;
  /** Argo CD objects left out of the plan / applied as objects. */
  readonly leftOut: number;
  readonly applied: number;
  /** The note the plan carries (none when the rendering has no Argo CD objects). */
  readonly diagnostics: readonly Diagnostic[];
}

/** Whether the cluster serves Argo CD's Application kind (Argo CD is installed). */
export function servesArgoApplications(discovery: Discovery): boolean {
  return resourceFor(discovery, { group: ARGO_GROUP, version: 'v1alpha1', kind: 'Application' }) !== undefined;
}

/**
 * What a plan does with the Argo CD objects `render` holds: those the cluster does not serve are
 * left out (their child apps are planned as Slipway apps); those it serves stay, to be applied as
 * objects for Argo CD to sync.
 */
export function argoObjectsOnTarget(render: RenderResult, discovery: Discovery, app: Pick<App, 'name'>): ArgoObjectsOnTarget {
  const argo = render.objects.filter((o) => isArgoObject(o.manifest));
  if (argo.length === 0) return { render, leftOut: 0, applied: 0, diagnostics: [] };
  const served = (o: (typeof argo)[number]): boolean => resourceFor(discovery, o.key) !== undefined;
  const out = argo.filter((o) => !served(o));
  const kept = argo.length - out.length;
  const diagnostics: Diagnostic[] = [];
  if (out.length > 0) {
    const apps = out.filter((o) => o.key.kind !== 'AppProject');
    const projects = out.filter((o) => o.key.kind === 'AppProject');
    const others = projects.length > 0 ? `${countKinds(projects)} ${projects.length === 1 ? 'is' : 'are'} left out too (only Argo CD reads ${projects.length === 1 ? 'it' : 'them'})` : '';
    diagnostics.push({
      severity: 'info',
      code: 'argocd-child-apps',
      message:
        apps.length > 0
          ? `${countKinds(apps)} ${apps.length === 1 ? 'is a child app' : 'are child apps'} here: the cluster has no Argo CD, so ${apps.length === 1 ? 'it is' : 'they are'} planned as Slipway apps, not applied (\`slipway apps\` lists the children of ${app.name})${others ? `; ${others}` : ''}`
          : `${others.replace(/ too /, ' ')}: the cluster has no Argo CD`,
      location: (apps[0] ?? out[0]!).source,
    });
  }
  if (kept > 0) {
    diagnostics.push({
      severity: 'info',
      code: 'argocd-served',
      message: `${countKinds(argo.filter(served))} ${kept === 1 ? 'is' : 'are'} applied as objects: this cluster serves Argo CD's API, so Argo CD syncs the child apps; Slipway previews them but does not apply them`,
      location: argo.find(served)!.source,
    });
  }
  return { render: out.length > 0 ? { ...render, objects: render.objects.filter((o) => !out.includes(o)) } : render, leftOut: out.length, applied: kept, diagnostics };
}

/**
 * The rendering with the Argo CD and Flux objects this cluster does not serve left out, and the
 * notes about them; a child app planned where its controller runs is warned about (two managers).
 */
export function controllerObjectsOnTarget(render: RenderResult, discovery: Discovery, app: Pick<App, 'name' | 'parent' | 'origin'>): { render: RenderResult; diagnostics: readonly Diagnostic[] } {
  const argo = argoObjectsOnTarget(render, discovery, app);
  const flux = fluxObjectsOnTarget(argo.render, discovery, app);
  const diagnostics = [...argo.diagnostics, ...flux.diagnostics];
  const fluxChild = app.origin.object?.kind === 'HelmRelease';
  if (app.parent !== undefined && fluxChild && servesFluxHelmReleases(discovery)) {
    diagnostics.push({ severity: 'warning', code: 'flux-installs-child', message: `${app.name} is a child app of ${app.parent}, and this cluster runs Flux, whose helm-controller installs it from its HelmRelease: applying it with Slipway too makes two managers of its objects` });
  } else if (app.parent !== undefined && !fluxChild && servesArgoApplications(discovery)) {
    diagnostics.push({ severity: 'warning', code: 'argocd-syncs-child', message: `${app.name} is a child app of ${app.parent}, and this cluster runs Argo CD, which syncs it from its Application: applying it with Slipway too makes two managers of its objects` });
  }
  return { render: flux.render, diagnostics };
}

/** The order Flux's kinds are counted in a note: the child apps first, then what only Flux reads (others after, by name). */
const FLUX_KINDS: readonly string[] = ['HelmRelease', 'Kustomization', 'GitRepository', 'HelmRepository', 'OCIRepository', 'Bucket', 'HelmChart', 'ExternalArtifact', 'ArtifactGenerator'];

/** Whether the cluster serves Flux's HelmRelease kind (Flux's helm-controller is installed). */
export function servesFluxHelmReleases(discovery: Discovery): boolean {
  return ['v2', 'v2beta2', 'v2beta1'].some((version) => resourceFor(discovery, { group: 'helm.toolkit.fluxcd.io', version, kind: 'HelmRelease' }) !== undefined);
}

/**
 * What a plan does with the Flux objects `render` holds, as `argoObjectsOnTarget` does with Argo
 * CD's: those whose kind the cluster does not serve, and whose CustomResourceDefinition the
 * rendering does not hold either (a Flux bootstrap folder with gotk-components.yaml installs them),
 * are left out with one note — HelmReleases are child apps planned as Slipway apps, the rest only
 * Flux reads; those it serves stay, applied as objects for Flux to act on.
 */
export function fluxObjectsOnTarget(render: RenderResult, discovery: Discovery, app: Pick<App, 'name'>): ArgoObjectsOnTarget {
  const flux = render.objects.filter((o) => isFluxObject(o.manifest));
  if (flux.length === 0) return { render, leftOut: 0, applied: 0, diagnostics: [] };
  const created = new Set(render.objects.filter((o) => o.key.group === 'apiextensions.k8s.io' && o.key.kind === 'CustomResourceDefinition').map((o) => crdKind(o.manifest)));
  const served = (o: (typeof flux)[number]): boolean => resourceFor(discovery, o.key) !== undefined || created.has(`${o.key.group}/${o.key.kind}`);
  const out = flux.filter((o) => !served(o));
  const kept = flux.filter(served);
  const diagnostics: Diagnostic[] = [];
  if (out.length > 0) {
    const releases = out.filter((o) => o.key.kind === 'HelmRelease');
    const others = out.filter((o) => o.key.kind !== 'HelmRelease');
    const only = others.length > 0 ? `${countKinds(others, FLUX_KINDS)} ${others.length === 1 ? 'is' : 'are'} left out${releases.length > 0 ? ' too' : ''}: only Flux's controllers read ${others.length === 1 ? 'it' : 'them'}` : '';
    const groups = [...new Set(out.map((o) => o.key.group))].sort();
    const noFlux = `the cluster has no Flux (it does not serve ${groups.join(', ')})`;
    diagnostics.push({
      severity: 'info',
      code: releases.length > 0 ? 'flux-child-apps' : 'flux-objects-left-out',
      message:
        releases.length > 0
          ? `${countKinds(releases, FLUX_KINDS)} ${releases.length === 1 ? 'is a child app' : 'are child apps'} here: ${noFlux}, so ${releases.length === 1 ? 'it is planned as a Slipway app' : 'they are planned as Slipway apps'}, not applied (\`slipway apps\` lists the children of ${app.name})${only ? `; ${only}` : ''}`
          : `${only}, and ${noFlux}`,
      location: (releases[0] ?? out[0]!).source,
    });
  }
  if (kept.length > 0) {
    const releases = kept.filter((o) => o.key.kind === 'HelmRelease').length;
    diagnostics.push({
      severity: 'info',
      code: 'flux-served',
      message: `${countKinds(kept, FLUX_KINDS)} ${kept.length === 1 ? 'is' : 'are'} applied as objects: this cluster serves Flux's API, so Flux acts on ${kept.length === 1 ? 'it' : 'them'}${releases > 0 ? ` (its helm-controller installs the charts of the HelmReleases; Slipway previews them as child apps but does not apply them)` : ''}`,
      location: kept[0]!.source,
    });
  }
  return { render: out.length > 0 ? { ...render, objects: render.objects.filter((o) => !out.includes(o)) } : render, leftOut: out.length, applied: kept.length, diagnostics };
}

/** "helm.toolkit.fluxcd.io/HelmRelease" for a CustomResourceDefinition manifest. */
function crdKind(manifest: unknown): string {
  const spec = isPlainObject(manifest) && isPlainObject(manifest.spec) ? manifest.spec : {};
  const names = isPlainObject(spec.names) ? spec.names : {};
  return `${String(spec.group)}/${String(names.kind)}`;
}

/** "3 Application objects", "2 Application objects and 1 AppProject object" (kinds in `order`, then any other by name). */
function countKinds(objects: readonly { readonly key: { readonly kind: string } }[], order: readonly string[] = ARGO_KINDS): string {
  const counts = new Map<string, number>(order.map((k) => [k, 0]));
  for (const o of [...objects].sort((a, b) => compareStrings(a.key.kind, b.key.kind))) counts.set(o.key.kind, (counts.get(o.key.kind) ?? 0) + 1);
  for (const [kind, n] of counts) if (n === 0) counts.delete(kind);
  const parts = [...counts].map(([kind, n]) => `${n} ${kind} object${n === 1 ? '' : 's'}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}` : parts[0]!;
}
