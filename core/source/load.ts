/**
 * Which apps a repository holds at a revision: the apps of its slipway.yaml, and apps imported
 * from Argo CD Applications and Flux Kustomizations found in its manifests; or one folder picked
 * without any configuration.
 */
import { basename } from 'node:path';
import type { Repository, Revision, Snapshot } from '../git/types.js';
import { SlipwayError, hasErrors, type Diagnostic } from '../model/diagnostics.js';
import { isPlainObject, type DesiredObject } from '../model/desired.js';
import { isManifestFileName, parseManifests } from '../manifest/manifests.js';
import { compareApps, defaultApp, HELM_CHART_FILE, type App } from './apps.js';
import { appCandidates, definesAppsByLayout, type AppCandidate } from './candidates.js';
import { importGitOpsApps } from './gitops.js';
import { SLIPWAY_CONFIG_FILE, parseSlipwayConfig } from './slipway-config.js';

export interface AppCatalog {
  readonly apps: readonly App[];
  readonly diagnostics: readonly Diagnostic[];
  /** True when the repository has a slipway.yaml at this revision. */
  readonly configured: boolean;
  /**
   * Folders that look like apps (`appCandidates`), for picking one with --path when the repository
   * defines no apps; absent when only slipway.yaml was read (`gitops: false`).
   */
  readonly folders?: readonly AppCandidate[];
  /** Repository-relative paths of the files at the revision (symlinks left out); absent when only slipway.yaml was read. */
  readonly files?: readonly string[];
  /**
   * Manifest files (chart templates included) that mention Argo CD's API group: an app whose folder
   * holds one may render Applications (app of apps). Absent when only slipway.yaml was read.
   */
  readonly argoFiles?: readonly string[];
}

/** Whether rendering `app` may give Argo CD Applications: a file under its folder mentions argoproj.io (a kustomization reaching outside its folder is not seen). */
export function mayRenderApplications(app: { readonly path: string }, catalog: Pick<AppCatalog, 'argoFiles'>): boolean {
  return (catalog.argoFiles ?? []).some((f) => app.path === '' || f.startsWith(`${app.path}/`));
}

/** GitOps definitions found per blob and path (empty when the file mentions no GitOps kind), and whether it mentions Argo CD. */
const gitopsScan = new Map<string, { readonly objects: readonly DesiredObject[]; readonly argo: boolean }>();
const GITOPS_SCAN_MAX = 50_000;

/** Forgets the GitOps scan (a cold start, for benchmarks and tests). */
export function clearAppScanCache(): void {
  gitopsScan.clear();
}

/** Cheap test before parsing: only files that mention a GitOps kind are parsed. */
const GITOPS_HINT = /argoproj\.io|kustomize\.toolkit\.fluxcd\.io|helm\.toolkit\.fluxcd\.io|source\.(?:toolkit|extensions)\.fluxcd\.io/;
/** Files that may define a Secret a Flux HelmRelease's valuesFrom names: scanned for its name and keys only (./gitops/flux-helm.ts). */
const SECRET_HINT = /^kind:\s*["']?Secret["']?\s*$/m;
/** Files that may make an app render apps of its own: Argo CD Applications, Flux HelmReleases (an overlay renders them patched). */
const ARGO_HINT = /argoproj\.io|helm\.toolkit\.fluxcd\.io/;

/**
 * The files a catalog reads: the whole tree when GitOps definitions are scanned for; otherwise only
 * slipway.yaml (one tree lookup instead of listing every file of the repository).
 */
async function catalogSnapshot(repo: Repository, revision: Revision, gitops: boolean): Promise<Snapshot> {
  if (gitops) return repo.snapshot(revision, '');
  try {
    return await repo.snapshot(revision, SLIPWAY_CONFIG_FILE);
  } catch (err) {
    if (err instanceof SlipwayError && err.code === 'path-not-found') return { revision, root: '', treeOid: '', files: [] };
    throw err;
  }
}

export async function loadApps(repo: Repository, revision: Revision, opts: { gitops?: boolean } = {}): Promise<AppCatalog> {
  const gitops = opts.gitops !== false;
  const root = await catalogSnapshot(repo, revision, gitops);
  const diagnostics: Diagnostic[] = [];
  let apps: App[] = [];
  // Only a file: a folder named slipway.yaml is no configuration (its files have longer paths).
  const config = root.files.find((f) => f.path === SLIPWAY_CONFIG_FILE);
  if (config) {
    const parsed = parseSlipwayConfig(new TextDecoder().decode(await repo.readFile(root, config)), { file: config.path });
    apps = parsed.apps;
    diagnostics.push(...parsed.diagnostics);
  }
  const candidates: DesiredObject[] = [];
  const argoFiles: string[] = [];
  const templates = chartTemplateFolders(root.files);
  const files = root.files.filter((f) => f.mode !== 'symlink').map((f) => f.path);
  for (const f of gitops ? root.files : []) {
    if (f.mode === 'symlink' || !isManifestFileName(f.path) || f.path === SLIPWAY_CONFIG_FILE) continue;
    // A chart's templates are not manifests until Helm renders them: the apps they define come from rendering the chart (child apps).
    const template = templates.some((t) => f.path.startsWith(t));
    // Each blob is scanned once: the next revision only reads the files that changed.
    const key = `${f.oid}:${f.path}${template ? ':template' : ''}`;
    let found = gitopsScan.get(key);
    if (!found) {
      const text = new TextDecoder().decode(await repo.readFile(root, f));
      const gitops = !template && GITOPS_HINT.test(text);
      const secrets = !template && !gitops && SECRET_HINT.test(text);
      const objects = gitops || secrets ? parseManifests(text, { file: f.path }).objects.filter((o) => gitops || isSecret(o.manifest)) : [];
      found = { objects: objects.map(withoutSecretValues), argo: ARGO_HINT.test(text) };
      if (gitopsScan.size >= GITOPS_SCAN_MAX) gitopsScan.delete(gitopsScan.keys().next().value!);
      gitopsScan.set(key, found);
    }
    if (found.argo) argoFiles.push(f.path);
    candidates.push(...found.objects);
  }
  if (candidates.length > 0) {
    const imported = importGitOpsApps(candidates, { files });
    diagnostics.push(...imported.diagnostics);
    const taken = new Set(apps.map((a) => a.name));
    for (const app of imported.apps) {
      if (taken.has(app.name)) {
        diagnostics.push({ severity: 'warning', code: 'app-name-clash', message: `app ${app.name} from ${app.origin.kind} is shadowed by the app of the same name in ${SLIPWAY_CONFIG_FILE}`, location: { file: app.origin.file ?? '', ...(app.origin.line !== undefined && { line: app.origin.line }) } });
        continue;
      }
      apps.push(app);
    }
  }
  return {
    apps: apps.sort(compareApps),
    diagnostics,
    configured: config !== undefined,
    ...(gitops && { folders: appCandidates(files), files, argoFiles }),
  };
}

function isSecret(manifest: unknown): manifest is Record<string, unknown> {
  return isPlainObject(manifest) && manifest.apiVersion === 'v1' && manifest.kind === 'Secret';
}

/** A Secret as the catalog keeps it: its name and the names of its keys, never its values (plain or SOPS-encrypted). */
function withoutSecretValues(o: DesiredObject): DesiredObject {
  const m = o.manifest;
  if (!isSecret(m)) return o;
  const keysOf = (data: unknown): Record<string, string> => Object.fromEntries(Object.keys(isPlainObject(data) ? data : {}).map((k) => [k, '']));
  const meta: Record<string, unknown> = isPlainObject(m.metadata) ? m.metadata : {};
  const manifest = { apiVersion: m.apiVersion, kind: m.kind, metadata: { name: meta.name, ...(meta.namespace !== undefined && { namespace: meta.namespace }) }, data: keysOf(m.data), stringData: keysOf(m.stringData) };
  return { ...o, manifest: manifest as DesiredObject['manifest'] };
}

/** `<chart>/templates/` of every Helm chart (a folder with Chart.yaml) among the files. */
function chartTemplateFolders(files: readonly { readonly path: string }[]): string[] {
  return files.filter((f) => f.path === HELM_CHART_FILE || f.path.endsWith(`/${HELM_CHART_FILE}`)).map((f) => `${f.path.slice(0, -HELM_CHART_FILE.length)}templates/`);
}

export interface AppSelection {
  /** An app by name (from slipway.yaml or an imported GitOps definition). */
  readonly app?: string;
  /** A repository folder used as one app, without configuration. */
  readonly path?: string;
}

/** How an app was chosen, as plans and runs record it: by name, or as a folder. */
export type SelectedBy = 'name' | 'path';

/** The selection that finds a recorded app again (a plan's inputs, a run's app): by path for folder apps, else by name. */
export function selectionOf(app: { readonly name: string; readonly path: string; readonly selectedBy?: SelectedBy | undefined }): AppSelection {
  return app.selectedBy === 'path' ? { path: app.path } : { app: app.name };
}

/** How an app was chosen, from where it came from. */
export function selectedByOf(app: Pick<App, 'origin'>): SelectedBy {
  return app.origin.kind === 'folder' ? 'path' : 'name';
}

/**
 * Picks the app to render or plan. `path` wins and needs no configuration; `app` must exist at the
 * revision; with neither, a repository whose slipway.yaml lists exactly one app uses it, and a
 * repository without configuration is one app at its root — unless its folders are kustomizations
 * or charts below a plain root (Argo CD's example repository): rendering that whole reads chart
 * templates as manifests, so it asks for --path instead.
 */
export async function selectApp(repo: Repository, revision: Revision, sel: AppSelection): Promise<{ app: App; diagnostics: readonly Diagnostic[] }> {
  if (sel.app !== undefined && sel.path !== undefined) throw new SlipwayError('invalid-selection', 'choose an app with --app or a folder with --path, not both');
  if (sel.path !== undefined) return { app: defaultApp(sel.path, { repoName: basename(repo.dir) }), diagnostics: [] };
  if (sel.app !== undefined) {
    // Most apps are in slipway.yaml: look there before scanning the repository for GitOps definitions.
    const configured = await loadApps(repo, revision, { gitops: false });
    const quick = configured.apps.find((a) => a.name === sel.app);
    if (quick) return { app: quick, diagnostics: configured.diagnostics };
  }
  const catalog = await loadApps(repo, revision);
  const names = catalog.apps.map((a) => a.name);
  if (sel.app !== undefined) {
    const app = catalog.apps.find((a) => a.name === sel.app);
    if (app) return { app, diagnostics: catalog.diagnostics };
    if (hasErrors(catalog.diagnostics)) throw configError(catalog.diagnostics);
    throw new SlipwayError('unknown-app', `no app named ${sel.app} at this revision${names.length ? `; apps: ${names.join(', ')}` : ' (the repository defines no apps: use --path to pick a folder)'}`);
  }
  if (hasErrors(catalog.diagnostics) && catalog.configured) throw configError(catalog.diagnostics);
  if (catalog.apps.length === 1) return { app: catalog.apps[0]!, diagnostics: catalog.diagnostics };
  if (catalog.apps.length > 1) throw new SlipwayError('app-required', `the repository defines ${catalog.apps.length} apps: choose one with --app (${names.join(', ')}) or a folder with --path`, { hint: '`slipway apps` lists them with their paths and destinations' });
  const folders = catalog.folders ?? [];
  if (catalog.apps.length === 0 && definesAppsByLayout(folders)) {
    const shown = folders.slice(0, FOLDERS_SHOWN).map((f) => `${f.path} (${f.sourceType})`);
    const more = folders.length - shown.length;
    throw new SlipwayError('app-required', `the repository holds ${folders.length} folder${folders.length === 1 ? '' : 's'} that look like apps: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}; choose one with --path <folder>`, {
      hint: '`slipway apps` lists them; an app of slipway.yaml or an Argo CD / Flux definition is chosen with --app',
    });
  }
  return { app: defaultApp('', { repoName: basename(repo.dir) }), diagnostics: catalog.diagnostics };
}

/** How many folders the app-required error names (`slipway apps` lists all of them). */
const FOLDERS_SHOWN = 10;

function configError(diagnostics: readonly Diagnostic[]): SlipwayError {
  const first = diagnostics.find((d) => d.severity === 'error')!;
  const more = diagnostics.filter((d) => d.severity === 'error').length - 1;
  return new SlipwayError('invalid-config', `${first.message}${more > 0 ? ` (and ${more} more error${more > 1 ? 's' : ''})` : ''}`, first.location ? { location: first.location } : {});
}
