/**
 * Apps from the GitOps objects a repository already holds: Argo CD `Application`s
 * (argoproj.io/v1alpha1) and Flux `Kustomization`s (kustomize.toolkit.fluxcd.io/v1, v1beta2),
 * so a team can preview what their controller would sync.
 *
 * What is imported, and how:
 *
 * | Argo CD Application                       | App                                                   |
 * |-------------------------------------------|-------------------------------------------------------|
 * | metadata.name                             | name (made a valid app name: "my.app" → "my-app")     |
 * | spec.source.path (repo-relative)          | path                                                  |
 * | spec.source.helm / kustomize / directory  | source.type helm / kustomize / directory, else auto  |
 * | spec.source.helm.valueFiles (app-relative, or "$ref/…" of a ref source in this repo) | source.helm.valuesFiles (repo-relative) |
 * | spec.source.helm.parameters               | source.helm.set                                       |
 * | spec.source.helm.releaseName              | source.helm.releaseName                               |
 * | spec.source.targetRevision                | targetRevision                                        |
 * | spec.destination.name / namespace         | destination.context / namespace                       |
 * | spec.syncPolicy.automated.prune           | options.prune                                         |
 * | spec.syncPolicy.syncOptions CreateNamespace=true | options.createNamespace                        |
 * | spec.syncPolicy.syncOptions (the others)  | options.syncOptions (core/model/sync-options.ts: each honoured or a warning) |
 * | spec.syncPolicy.managedNamespaceMetadata  | options.managedNamespaceMetadata (with CreateNamespace=true) |
 * | spec.ignoreDifferences                    | options.ignoreDifferences                             |
 *
 * ApplicationSets: the list and git directories generators expand to the Applications they
 * generate, each imported as above (origin.applicationSet names the set); other generators are
 * warnings naming file:line (./gitops/applicationset.ts).
 *
 * `spec.sources` (multi-source): every source with a path in this repository becomes an app
 * (named "<app>-<source name or index>" when there are several); sources with `ref` serve
 * "$ref/…" values files; the others are reported. Inline Helm values (`values`,
 * `valuesObject`), `fileParameters`, plugins and options Slipway does not apply are reported
 * as warnings naming the field, so the preview's gaps are visible.
 *
 * | Flux Kustomization      | App                                                                  |
 * |-------------------------|----------------------------------------------------------------------|
 * | metadata.name           | name                                                                 |
 * | spec.path ("./" optional, default the root) | path                                             |
 * | spec.prune              | options.prune                                                        |
 * | spec.targetNamespace    | destination.namespace                                                |
 * | spec.sourceRef → GitRepository found among the objects: spec.ref | targetRevision (branch, tag, commit, name or semver) |
 *
 * | Flux HelmRelease (helm.toolkit.fluxcd.io/v2, v2beta2, v2beta1) | App (type helm; ./gitops/flux-helm.ts) |
 * |-------------------------|----------------------------------------------------------------------|
 * | metadata.name           | name                                                                 |
 * | spec.chart.spec.sourceRef GitRepository (this repository): spec.chart.spec.chart | path (repo-relative), targetRevision from its spec.ref |
 * | spec.chart.spec.valuesFiles | source.helm.valuesFiles (repo-relative)                          |
 * | spec.chart.spec.sourceRef HelmRepository: url, chart, version | source.chart (repoURL, chart, targetRevision; "*" when no version) |
 * | spec.chartRef OCIRepository: url, ref.tag/semver/digest | source.chart (oci://… without the chart, chart, version) |
 * | spec.values, spec.valuesFrom ConfigMaps found among the objects (valuesKey, targetPath) | source.helm.values (merged as Flux does) |
 * | spec.valuesFrom Secrets found among the objects | source.helm.valuesLayers: a reference, read and merged in order when rendering (never in the app) |
 * | spec.valuesFrom Secrets not found | a warning naming it and what to do                            |
 * | spec.targetNamespace, else metadata.namespace | destination.namespace                          |
 * | spec.releaseName, else "[<targetNamespace>-]<name>" | source.helm.releaseName                  |
 * | spec.install.createNamespace | options.createNamespace                                         |
 * | ExternalArtifact, Bucket, HelmChart sources | not an app: one warning per source (all its HelmReleases and Kustomizations), saying what to do (./gitops/flux-sources.ts) |
 *
 * A HelmRelease an overlay patches (apps/base + apps/staging) is imported as the overlay renders
 * it: a child app of the Flux Kustomization's app (core/source/children.ts).
 *
 * Sources in another repository (when `repoUrls` is given) are warnings naming the manifest's
 * file:line, not apps; Flux sources Slipway cannot follow (a Kustomization's OCIRepository, Bucket,
 * ExternalArtifact) are one warning per source naming every object that refers to it.
 * Name clashes: every app of the clash is prefixed with its origin ("argocd-web", "flux-web",
 * and the namespace too when that is not enough), with a warning. The same object (kind,
 * namespace, name) in several folders (clusters/staging, clusters/production) is one app per
 * folder, named by it ("staging-apps", "production-apps"), with an info.
 */
import type { Diagnostic } from '../model/diagnostics.js';
import type { App } from './apps.js';
import { compareApps, compareStrings, toAppName } from './apps.js';
import { isRecord, sortDiagnostics } from './util.js';
import { ARGO_API_VERSION, argoApplicationSchema, importArgoApplication } from './gitops/argocd.js';
import { Reporter, repoFilter, reportInvalid, resourceKeyOf, type Candidate, type GitOpsObject, type ImportGitOpsOptions, type RepoFilter } from './gitops/common.js';
import { applicationSetSchema, expandApplicationSet, type ApplicationSet } from './gitops/applicationset.js';
import { collectGitRepositories, FLUX_KUSTOMIZE_API_VERSIONS, fluxKustomizationSchema, importFluxKustomization } from './gitops/flux.js';
import { FLUX_HELM_API_VERSIONS, fluxHelmReleaseSchema, importFluxHelmRelease } from './gitops/flux-helm.js';
import { UnfollowedSources } from './gitops/flux-sources.js';
import { lastSegment } from './paths.js';

export { normalizeRepoUrl, redactUrl, type GitOpsObject, type ImportGitOpsOptions } from './gitops/common.js';

/**
 * Finds Argo CD Applications and Flux Kustomizations among a repository's rendered objects and
 * turns each into an App (see the table above). Apps are sorted by name.
 */
export function importGitOpsApps(objects: readonly GitOpsObject[], opts: ImportGitOpsOptions = {}): { apps: App[]; diagnostics: Diagnostic[] } {
  const repos = repoFilter(opts.repoUrls);
  const gitRepositories = collectGitRepositories(objects);
  const unfollowed = new UnfollowedSources();
  const candidates: Candidate[] = [];
  const diagnostics: Diagnostic[] = [];

  for (const object of objects) {
    const m = object.manifest;
    if (!isRecord(m) || typeof m.apiVersion !== 'string' || typeof m.kind !== 'string') continue;
    const resource = resourceKeyOf(m);
    const report = new Reporter(object, resource);
    if (m.apiVersion === ARGO_API_VERSION && m.kind === 'Application') {
      const parsed = argoApplicationSchema.safeParse(m);
      if (parsed.success) candidates.push(...importArgoApplication(parsed.data, object, { report, resource, repos }));
      else reportInvalid(report, 'argocd-invalid', 'Argo CD Application', parsed.error);
    } else if (m.apiVersion === ARGO_API_VERSION && m.kind === 'ApplicationSet') {
      const parsed = applicationSetSchema.safeParse(m);
      if (parsed.success) candidates.push(...importApplicationSet(parsed.data, object, { report, repos, ...(opts.files && { files: opts.files }) }));
      else reportInvalid(report, 'applicationset-invalid', 'Argo CD ApplicationSet', parsed.error);
    } else if (m.kind === 'Kustomization' && FLUX_KUSTOMIZE_API_VERSIONS.includes(m.apiVersion)) {
      const parsed = fluxKustomizationSchema.safeParse(m);
      if (parsed.success) candidates.push(...importFluxKustomization(parsed.data, object, { report, resource, repos, gitRepositories, unfollowed }));
      else reportInvalid(report, 'flux-invalid', 'Flux Kustomization', parsed.error);
    } else if (m.kind === 'HelmRelease' && FLUX_HELM_API_VERSIONS.includes(m.apiVersion)) {
      const parsed = fluxHelmReleaseSchema.safeParse(m);
      if (parsed.success) candidates.push(...importFluxHelmRelease(parsed.data, object, { report, resource, repos, gitRepositories, objects, unfollowed, ...(opts.renderedFrom !== undefined && { renderedFrom: opts.renderedFrom }) }));
      else if (isPatch(m)) report.add('info', 'flux-helm-patch', 'a HelmRelease naming no chart (a kustomize patch?) is not imported by itself; the overlay that patches it renders it');
      else reportInvalid(report, 'flux-invalid', 'Flux HelmRelease', parsed.error);
    } else if (m.kind === 'HelmRelease' && m.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
      report.add('warning', 'flux-unsupported-version', `Flux HelmRelease ${m.apiVersion} is not imported: supported are ${FLUX_HELM_API_VERSIONS.join(', ')}`);
    } else if (m.kind === 'Kustomization' && m.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) {
      report.add('warning', 'flux-unsupported-version', `Flux Kustomization ${m.apiVersion} is not imported: supported are ${FLUX_KUSTOMIZE_API_VERSIONS.join(' and ')}`);
    }
    diagnostics.push(...report.diagnostics);
  }
  diagnostics.push(...unfollowed.diagnostics(objects));

  const settled = settleNames(candidates);
  return { apps: settled.apps.sort(compareApps), diagnostics: sortDiagnostics([...diagnostics, ...settled.diagnostics]) };
}

/**
 * The apps of the Applications an ApplicationSet generates: each is imported as if it were written
 * in the ApplicationSet's file (its diagnostics name that file:line and the generated Application).
 */
function importApplicationSet(appSet: ApplicationSet, object: GitOpsObject, ctx: { report: Reporter; repos: RepoFilter; files?: readonly string[] }): Candidate[] {
  const candidates: Candidate[] = [];
  for (const generated of expandApplicationSet(appSet, ctx)) {
    const resource = resourceKeyOf(generated.manifest);
    const report = new Reporter(object, resource);
    const parsed = argoApplicationSchema.safeParse(generated.manifest);
    if (parsed.success) {
      for (const c of importArgoApplication(parsed.data, object, { report, resource, repos: ctx.repos })) {
        candidates.push({ ...c, app: { ...c.app, origin: { ...c.app.origin, applicationSet: appSet.metadata.name } } });
      }
    } else reportInvalid(report, 'argocd-invalid', `the Application of ${generated.from}`, parsed.error);
    for (const d of report.diagnostics) ctx.report.diagnostics.push(d);
  }
  return candidates;
}

/**
 * Makes names unique. The same object defined twice (same origin, namespace and name) is
 * reported and only the first (by file and line) is kept. Different apps sharing a name are all
 * renamed "<origin>-<name>" ("argocd-web", "flux-web"), or "<origin>-<namespace>-<name>" when
 * that is not enough, with a warning. A name still taken after that is reported and dropped.
 * (Warnings, not errors: these files configure another tool, and one bad Application must not
 * block every other app.)
 */
function settleNames(candidates: readonly Candidate[]): { apps: App[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const ordered = [...candidates].sort(compareByOrigin);

  const unique: Candidate[] = [];
  for (const group of groupBy(ordered, (c) => `${c.app.origin.kind}|${c.namespace}|${c.resource.kind}|${c.app.name}`).values()) {
    const byFolder = groupBy(group, (c) => folderOf(c));
    for (const [folder, same] of byFolder) {
      const [first, ...again] = same;
      if (!first) continue;
      for (const c of again) diagnostics.push(duplicateDiagnostic(c, first));
      // One object per cluster folder (clusters/staging, clusters/production): each is an app, named by its folder.
      if (byFolder.size === 1) unique.push(first);
      else unique.push(namedByFolder(first, folder, [...byFolder.keys()], diagnostics));
    }
  }

  const renamed: Candidate[] = [];
  for (const [name, group] of groupBy(unique, (c) => c.app.name)) {
    if (group.length === 1) {
      renamed.push(...group);
      continue;
    }
    const prefixed = group.map((c) => `${c.app.origin.kind}-${name}`);
    const stillClash = new Set(prefixed.filter((n, i) => prefixed.indexOf(n) !== i));
    group.forEach((c, i) => {
      const first = prefixed[i] ?? name;
      const newName = toAppName(stillClash.has(first) ? `${c.app.origin.kind}-${c.namespace || 'default'}-${name}` : first);
      diagnostics.push(clashDiagnostic(c, { name, newName, others: group.filter((o) => o !== c) }));
      renamed.push({ ...c, app: { ...c.app, name: newName } });
    });
  }

  const apps: App[] = [];
  for (const group of groupBy(renamed, (c) => c.app.name).values()) {
    const [kept, ...dropped] = group;
    if (kept) apps.push(kept.app);
    for (const c of dropped) if (kept) diagnostics.push(duplicateDiagnostic(c, kept));
  }
  return { apps, diagnostics };
}

/** A HelmRelease without spec.chart.spec.chart or spec.chartRef: a patch an overlay applies, not an object of its own. */
function isPatch(m: Record<string, unknown>): boolean {
  const spec = isRecord(m.spec) ? m.spec : {};
  const chart = isRecord(spec.chart) && isRecord(spec.chart.spec) ? spec.chart.spec : {};
  return spec.chartRef === undefined && chart.chart === undefined;
}

function folderOf(c: Candidate): string {
  const file = c.app.origin.file ?? '';
  return file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
}

/** "staging-apps" for flux-system/apps in clusters/staging (the whole folder when last segments repeat), with an info. */
function namedByFolder(c: Candidate, folder: string, folders: readonly string[], diagnostics: Diagnostic[]): Candidate {
  const last = (f: string): string => lastSegment(f) || 'root';
  const label = folders.filter((f) => last(f) === last(folder)).length > 1 ? folder || 'root' : last(folder);
  const newName = toAppName(`${label}-${c.app.name}`);
  const others = folders.filter((f) => f !== folder).map((f) => f || '.').join(', ');
  diagnostics.push({
    severity: 'info',
    code: 'app-named-by-folder',
    message: `${describeOrigin(c)} is defined in ${others} too; imported as ${JSON.stringify(newName)}, named by its folder, so each can be chosen`,
    location: c.location,
    resource: c.resource,
  });
  return { ...c, app: { ...c.app, name: newName } };
}

function duplicateDiagnostic(c: Candidate, kept: Candidate): Diagnostic {
  return {
    severity: 'warning',
    code: 'duplicate-app',
    message: `app name ${JSON.stringify(c.app.name)} is already used by ${describeOrigin(kept)}; this one is not imported`,
    location: c.location,
    resource: c.resource,
  };
}

function compareByOrigin(a: Candidate, b: Candidate): number {
  return compareStrings(a.app.origin.file ?? '', b.app.origin.file ?? '') || (a.app.origin.line ?? 0) - (b.app.origin.line ?? 0) || compareStrings(a.app.name, b.app.name);
}

function clashDiagnostic(c: Candidate, info: { name: string; newName: string; others: readonly Candidate[] }): Diagnostic {
  return {
    severity: 'warning',
    code: 'app-name-clash',
    message: `app name ${JSON.stringify(info.name)} is also used by ${info.others.map(describeOrigin).join(', ')}; imported as ${JSON.stringify(info.newName)}`,
    location: c.location,
    resource: c.resource,
  };
}

function describeOrigin(c: Candidate): string {
  const where = c.app.origin.file ? ` (${c.app.origin.file}${c.app.origin.line !== undefined ? `:${c.app.origin.line}` : ''})` : '';
  const ns = c.resource.namespace ? `${c.resource.namespace}/` : '';
  return `${c.resource.kind} ${ns}${c.resource.name}${where}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
