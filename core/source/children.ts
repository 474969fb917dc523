/**
 * App of apps (Argo CD's cluster bootstrapping pattern): the Argo CD Applications and
 * ApplicationSets an app renders — a Helm chart whose templates are Applications, a folder or a
 * kustomization of Application files — become the app's child apps, imported exactly like the
 * Applications found in the repository's files (core/source/gitops.ts: path, Helm values,
 * destination namespace, syncPolicy mean the same).
 *
 * Which children are planned here: those whose source is this repository. When the parent is an
 * imported Application, "this repository" is the parent's repoURL; otherwise any repoURL counts
 * (as for the repository's own files). A child whose path is not a folder of this repository at
 * the revision is left out too. Children left out stay notes naming them (info), never errors: they
 * configure Argo CD, not Slipway. A pure function over the parent's rendered objects.
 */
import type { Diagnostic } from '../model/diagnostics.js';
import { isPlainObject } from '../model/desired.js';
import type { App } from './apps.js';
import { importGitOpsApps, type GitOpsObject } from './gitops.js';

export const ARGO_GROUP = 'argoproj.io';

/** The kinds of Argo CD's API group that only its controllers act on. */
export const ARGO_KINDS: readonly string[] = ['Application', 'ApplicationSet', 'AppProject'];

/** An Argo CD Application, ApplicationSet or AppProject manifest. */
export function isArgoObject(manifest: unknown): boolean {
  return isPlainObject(manifest) && typeof manifest.apiVersion === 'string' && manifest.apiVersion.startsWith(`${ARGO_GROUP}/`) && ARGO_KINDS.includes(String(manifest.kind));
}

/** Flux's API groups (helm., kustomize., source., notification., image.toolkit.fluxcd.io; source.extensions.fluxcd.io): objects only Flux's controllers act on. */
export function isFluxGroup(group: string): boolean {
  return group.endsWith('.toolkit.fluxcd.io') || group === 'source.extensions.fluxcd.io';
}

/** An object of one of Flux's API groups: a HelmRelease, a Kustomization, a GitRepository, HelmRepository, OCIRepository… */
export function isFluxObject(manifest: unknown): boolean {
  return isPlainObject(manifest) && typeof manifest.apiVersion === 'string' && manifest.apiVersion.includes('/') && isFluxGroup(manifest.apiVersion.slice(0, manifest.apiVersion.indexOf('/')));
}

/** A Flux HelmRelease (an overlay's rendering holds it as patched for its environment). */
export function isFluxHelmRelease(manifest: unknown): boolean {
  return isPlainObject(manifest) && manifest.kind === 'HelmRelease' && typeof manifest.apiVersion === 'string' && manifest.apiVersion.startsWith('helm.toolkit.fluxcd.io/');
}

/** What a HelmRelease refers to: its chart's source, the ConfigMaps and Secrets of its valuesFrom (a Secret's keys only are looked at). */
function isFluxHelmContext(manifest: unknown): boolean {
  if (!isPlainObject(manifest) || typeof manifest.apiVersion !== 'string') return false;
  return manifest.apiVersion.startsWith('source.toolkit.fluxcd.io/') || (manifest.apiVersion === 'v1' && (manifest.kind === 'ConfigMap' || manifest.kind === 'Secret'));
}

/** Diagnostic codes of a source that is not planned here because it lives elsewhere. */
const ELSEWHERE = new Set(['argocd-foreign-repo', 'applicationset-foreign-repo', 'flux-foreign-repo']);

export interface ChildApps {
  /** Sorted by name; each names `parent`. Names are not settled against other apps (core/plan/child-apps.ts does). */
  readonly apps: readonly App[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The child apps of `parent`, from the objects its rendering produced. `files` are the repository's
 * files at the revision (paths): the folders a child may point at, and the git generator's folders.
 */
export function importChildApps(parent: Pick<App, 'name' | 'repoUrl'> & { readonly path?: string }, rendered: readonly GitOpsObject[], ctx: { readonly files: readonly string[] }): ChildApps {
  const defining = rendered.filter((o) => isArgoObject(o.manifest) || isFluxHelmRelease(o.manifest));
  if (defining.length === 0) return { apps: [], diagnostics: [] };
  // A HelmRelease's chart sources and valuesFrom ConfigMaps may be rendered next to it (Flux's apps/base + overlay layout).
  const argo = [...defining, ...rendered.filter((o) => isFluxHelmContext(o.manifest))];
  const imported = importGitOpsApps(argo, { ...(parent.repoUrl !== undefined && { repoUrls: [parent.repoUrl] }), files: ctx.files, ...(parent.path !== undefined && { renderedFrom: parent.path }) });
  const diagnostics: Diagnostic[] = imported.diagnostics.map((d) => (ELSEWHERE.has(d.code) ? { ...d, severity: 'info', message: `child app of ${parent.name} not planned here: ${d.message}` } : d));
  const folders = new Set<string>(['']);
  for (const file of ctx.files) for (let i = file.indexOf('/'); i > 0; i = file.indexOf('/', i + 1)) folders.add(file.slice(0, i));
  const apps: App[] = [];
  for (const app of imported.apps) {
    if (!folders.has(app.path)) {
      diagnostics.push({
        severity: 'info',
        code: 'child-app-missing-path',
        message: `child app ${app.name} of ${parent.name} not planned here: its path ${JSON.stringify(app.path)} is no folder of this repository at this revision (is its repoURL another repository?)`,
        ...(app.origin.file !== undefined && { location: { file: app.origin.file, ...(app.origin.line !== undefined && { line: app.origin.line }) } }),
      });
      continue;
    }
    apps.push({ ...app, parent: parent.name });
  }
  return { apps, diagnostics };
}

/**
 * The apps of the repository's files that child apps stand in for: a HelmRelease that the parent's
 * kustomize build reads from another folder (Flux's apps/base/podinfo/release.yaml, which
 * apps/staging and apps/production patch), rendered with the overlay's patches. Flux applies only
 * the overlays — the clusters' Kustomizations point at apps/staging and apps/production — so the
 * base is no app of its own: each overlay's rendering of it is. A child is matched to a base by
 * kind and name (an overlay may move it to another namespace), and the base's file must be one the
 * parent's build reads (`reads`); several same-named bases it reads are told apart by namespace.
 * Returns child → base.
 */
export function overlaidBases(children: readonly App[], apps: readonly App[], reads: (file: string) => boolean): Map<App, App> {
  const out = new Map<App, App>();
  for (const child of children) {
    const object = child.origin.object;
    if (child.origin.kind !== 'flux' || object?.kind !== 'HelmRelease') continue;
    let bases = apps.filter((a) => {
      const file = a.origin.file;
      // The same file is the same definition (a folder renders it as written): that app, not a base.
      return a.parent === undefined && a.origin.kind === 'flux' && a.origin.object?.kind === 'HelmRelease' && a.origin.object.name === object.name && file !== undefined && file !== child.origin.file && reads(file);
    });
    if (bases.length > 1) bases = bases.filter((a) => a.origin.object?.namespace === object.namespace);
    if (bases.length === 1) out.set(child, bases[0]!);
  }
  return out;
}
