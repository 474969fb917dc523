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
 * | spec.ignoreDifferences                    | options.ignoreDifferences                             |
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
 * Sources in another repository (when `repoUrls` is given), Helm repository charts, and Flux
 * sources that are not GitRepositories are warnings naming the manifest's file:line, not apps.
 * Name clashes: every app of the clash is prefixed with its origin ("argocd-web", "flux-web",
 * and the namespace too when that is not enough), with a warning.
 */
import { z } from 'zod';
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import type { ResourceKey } from '../model/resource.js';
import { parseApiVersion } from '../model/resource.js';
import type { App, AppOptions, HelmOptions, IgnoreDifferencesRule, SourceType } from './apps.js';
import { compareApps, compareStrings, DEFAULT_APP_OPTIONS, toAppName } from './apps.js';
import { normalizeRepoPath, resolveRepoPath } from './paths.js';
import { ignoreDifferencesRuleSchema, toIgnoreDifferencesRule } from './slipway-config.js';
import { isRecord, sortDiagnostics } from './util.js';
import { formatPath } from './yaml-locations.js';

/** A rendered object and where it came from (a DesiredObject fits). */
export interface GitOpsObject {
  readonly manifest: unknown;
  readonly source: SourceLocation;
}

export interface ImportGitOpsOptions {
  /** URLs of this repository (its remotes). Absent: every Git source is taken to be this repository. */
  readonly repoUrls?: readonly string[];
}

const ARGO_API_VERSION = 'argoproj.io/v1alpha1';
const FLUX_KUSTOMIZE_API_VERSIONS: readonly string[] = ['kustomize.toolkit.fluxcd.io/v1', 'kustomize.toolkit.fluxcd.io/v1beta2'];
const FLUX_SOURCE_GROUP = 'source.toolkit.fluxcd.io';

/**
 * Compares repository URLs across their spellings: "https://user:token@GitHub.com/org/repo.git/",
 * "git@github.com:org/repo" and "ssh://git@github.com:22/org/repo" all become "github.com/org/repo"
 * (scheme, credentials, port, ".git" and trailing "/" dropped, lowercased).
 */
export function normalizeRepoUrl(url: string): string {
  return url
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/^[^@/]*@/, '')
    .replace(/^([^/:]+):\d+(?=\/|$)/, '$1')
    .replace(/^([^/:]+):/, '$1/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Schemas of the fields read. Loose: other fields pass, and the ones that change rendering are
// reported by name below.

const argoHelmSchema = z.looseObject({
  releaseName: z.string().optional(),
  valueFiles: z.array(z.string()).optional(),
  parameters: z.array(z.looseObject({ name: z.string(), value: z.string().optional(), forceString: z.boolean().optional() })).optional(),
  values: z.string().optional(),
  valuesObject: z.record(z.string(), z.unknown()).optional(),
  fileParameters: z.array(z.unknown()).optional(),
});
const argoSourceSchema = z.looseObject({
  repoURL: z.string().optional(),
  path: z.string().optional(),
  chart: z.string().optional(),
  targetRevision: z.string().optional(),
  ref: z.string().optional(),
  name: z.string().optional(),
  helm: argoHelmSchema.optional(),
  kustomize: z.record(z.string(), z.unknown()).optional(),
  directory: z.record(z.string(), z.unknown()).optional(),
  plugin: z.record(z.string(), z.unknown()).optional(),
});
const argoApplicationSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
  spec: z.looseObject({
    source: argoSourceSchema.optional(),
    sources: z.array(argoSourceSchema).optional(),
    destination: z.looseObject({ name: z.string().optional(), namespace: z.string().optional(), server: z.string().optional() }).optional(),
    syncPolicy: z
      .looseObject({
        automated: z.looseObject({ prune: z.boolean().optional(), enabled: z.boolean().optional() }).nullable().optional(),
        syncOptions: z.array(z.string()).optional(),
      })
      .optional(),
    ignoreDifferences: z.array(z.unknown()).optional(),
  }),
});
type ArgoSource = z.output<typeof argoSourceSchema>;
type ArgoApplication = z.output<typeof argoApplicationSchema>;

const fluxKustomizationSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
  spec: z.looseObject({
    path: z.string().optional(),
    prune: z.boolean().optional(),
    targetNamespace: z.string().optional(),
    sourceRef: z.looseObject({ kind: z.string(), name: z.string(), namespace: z.string().optional() }).optional(),
  }),
});
type FluxKustomization = z.output<typeof fluxKustomizationSchema>;

const fluxGitRepositorySchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }),
  spec: z.looseObject({
    url: z.string(),
    ref: z
      .looseObject({ branch: z.string().optional(), tag: z.string().optional(), semver: z.string().optional(), name: z.string().optional(), commit: z.string().optional() })
      .optional(),
  }),
});
type FluxGitRepository = z.output<typeof fluxGitRepositorySchema>;

/** Helm fields applied, or reported on their own; any other field of spec.source.helm is reported as ignored. */
const ARGO_HELM_HANDLED = new Set(['releaseName', 'valueFiles', 'parameters', 'values', 'valuesObject', 'fileParameters', 'ignoreMissingValueFiles', 'passCredentials', 'version']);
/** Flux fields that change what is rendered and that Slipway does not apply. */
const FLUX_RENDERING_FIELDS: readonly string[] = [
  'commonMetadata',
  'components',
  'decryption',
  'images',
  'kubeConfig',
  'namePrefix',
  'nameSuffix',
  'patches',
  'patchesJson6902',
  'patchesStrategicMerge',
  'postBuild',
];

// ---------------------------------------------------------------------------------------------

/** One app found, before name clashes are settled. */
interface Candidate {
  readonly app: App;
  readonly resource: ResourceKey;
  readonly namespace: string;
  readonly location: SourceLocation;
}

/** Collects diagnostics about one manifest: each names its file:line and the object. */
class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    private readonly object: GitOpsObject,
    private readonly resource: ResourceKey,
  ) {}

  add(severity: Diagnostic['severity'], code: string, message: string): void {
    this.diagnostics.push({ severity, code, message, location: this.object.source, resource: this.resource });
  }
}

/**
 * Finds Argo CD Applications and Flux Kustomizations among a repository's rendered objects and
 * turns each into an App (see the table above). Apps are sorted by name.
 */
export function importGitOpsApps(objects: readonly GitOpsObject[], opts: ImportGitOpsOptions = {}): { apps: App[]; diagnostics: Diagnostic[] } {
  const repos = repoFilter(opts.repoUrls);
  const gitRepositories = collectGitRepositories(objects);
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
      report.add('warning', 'argocd-applicationset', 'ApplicationSets are not imported: they generate Applications at run time; render the generated Applications into the repository to preview them');
    } else if (m.kind === 'Kustomization' && FLUX_KUSTOMIZE_API_VERSIONS.includes(m.apiVersion)) {
      const parsed = fluxKustomizationSchema.safeParse(m);
      if (parsed.success) candidates.push(...importFluxKustomization(parsed.data, object, { report, resource, repos, gitRepositories }));
      else reportInvalid(report, 'flux-invalid', 'Flux Kustomization', parsed.error);
    } else if (m.kind === 'Kustomization' && m.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) {
      report.add('warning', 'flux-unsupported-version', `Flux Kustomization ${m.apiVersion} is not imported: supported are ${FLUX_KUSTOMIZE_API_VERSIONS.join(' and ')}`);
    }
    diagnostics.push(...report.diagnostics);
  }

  const settled = settleNames(candidates);
  return { apps: settled.apps.sort(compareApps), diagnostics: sortDiagnostics([...diagnostics, ...settled.diagnostics]) };
}

// ---------------------------------------------------------------------------------------------
// Argo CD

function importArgoApplication(
  application: ArgoApplication,
  object: GitOpsObject,
  ctx: { report: Reporter; resource: ResourceKey; repos: RepoFilter },
): Candidate[] {
  const { report, repos } = ctx;
  const spec = application.spec;
  const multi = (spec.sources?.length ?? 0) > 0;
  const sources: { source: ArgoSource; field: string }[] = multi
    ? (spec.sources ?? []).map((source, i) => ({ source, field: `spec.sources[${i}]` }))
    : spec.source
      ? [{ source: spec.source, field: 'spec.source' }]
      : [];
  if (multi && spec.source) report.add('info', 'argocd-source-ignored', 'spec.source is ignored because spec.sources is set (as Argo CD does)');
  if (sources.length === 0) {
    report.add('warning', 'argocd-no-source', 'Application has neither spec.source nor spec.sources; not imported');
    return [];
  }

  const refs = new Map<string, ArgoSource>();
  for (const { source } of sources) if (source.ref) refs.set(source.ref, source);

  const picked: { source: ArgoSource; field: string; index: number }[] = [];
  sources.forEach(({ source, field }, index) => {
    if (source.chart !== undefined) {
      report.add('warning', 'argocd-helm-repository', `${field} is Helm chart ${JSON.stringify(source.chart)} from the chart repository ${redactUrl(source.repoURL ?? '(none)')}; Slipway renders only folders of this repository, so it is not imported`);
    } else if (source.path === undefined) {
      if (!source.ref) report.add('warning', 'argocd-no-path', `${field} has no path; not imported`);
    } else if (!repos.matches(source.repoURL)) {
      report.add('warning', 'argocd-foreign-repo', `${field}.repoURL ${repos.describeOther(source.repoURL)}; not imported`);
    } else if (source.plugin !== undefined) {
      report.add('warning', 'argocd-plugin', `${field} renders with a config management plugin, which Slipway cannot run; not imported`);
    } else {
      picked.push({ source, field, index });
    }
  });

  const baseName = picked.length > 0 ? appNameOf(application.metadata.name, report) : '';
  const options = argoOptions(application, report);
  const candidates: Candidate[] = [];
  for (const { source, field, index } of picked) {
    const path = normalizeRepoPath(source.path ?? '');
    if (!path.ok) {
      report.add('warning', 'argocd-invalid-path', `${field}.path ${JSON.stringify(source.path)} ${path.reason}; not imported`);
      continue;
    }
    const type = argoSourceType(source, { field, report });
    if (type === undefined) continue;
    const helm = source.helm ? argoHelmOptions(source.helm, { field: `${field}.helm`, appPath: path.path, refs, repos, report }) : undefined;
    reportIgnoredFields(report, `${field}.kustomize`, source.kustomize, []);
    reportIgnoredFields(report, `${field}.directory`, source.directory, []);
    const suffix = picked.length > 1 ? `-${toAppName(source.name ?? '') || index}` : '';
    const app: App = {
      name: toAppName(`${baseName}${suffix}`) || 'app',
      path: path.path,
      source: helm ? { type, helm } : { type },
      destination: {
        ...(spec.destination?.name && { context: spec.destination.name }),
        ...(spec.destination?.namespace && { namespace: spec.destination.namespace }),
      },
      options,
      ...(source.targetRevision !== undefined && { targetRevision: source.targetRevision }),
      origin: { kind: 'argocd', file: object.source.file, ...(object.source.line !== undefined && { line: object.source.line }) },
    };
    candidates.push({ app, resource: ctx.resource, namespace: application.metadata.namespace ?? '', location: object.source });
  }
  if (candidates.length > 1) {
    report.add('info', 'argocd-multi-source', `spec.sources has ${candidates.length} sources with a path in this repository; each is its own app: ${candidates.map((c) => c.app.name).join(', ')}`);
  }
  return candidates;
}

/** Argo CD's explicit type: the one of helm / kustomize / directory that is set; none → auto. */
function argoSourceType(source: ArgoSource, ctx: { field: string; report: Reporter }): SourceType | 'auto' | undefined {
  const explicit = (['helm', 'kustomize', 'directory'] as const).filter((t) => source[t] !== undefined);
  if (explicit.length > 1) {
    ctx.report.add('warning', 'argocd-multiple-types', `${ctx.field} sets ${explicit.join(' and ')}; Argo CD refuses more than one source type; not imported`);
    return undefined;
  }
  return explicit[0] ?? 'auto';
}

function argoHelmOptions(
  helm: NonNullable<ArgoSource['helm']>,
  ctx: { field: string; appPath: string; refs: ReadonlyMap<string, ArgoSource>; repos: RepoFilter; report: Reporter },
): HelmOptions {
  const { field, report } = ctx;
  const valuesFiles: string[] = [];
  for (const file of helm.valueFiles ?? []) {
    const resolved = resolveArgoValuesFile(file, ctx);
    if (resolved.ok) valuesFiles.push(resolved.path);
    else report.add('warning', 'argocd-values-file', `${field}.valueFiles: ${JSON.stringify(file)} ${resolved.reason}; rendered without it`);
  }
  const set: Record<string, string> = {};
  for (const p of [...(helm.parameters ?? [])].sort((a, b) => compareStrings(a.name, b.name))) {
    set[p.name] = p.value ?? '';
    if (p.forceString) report.add('info', 'argocd-helm-force-string', `${field}.parameters: ${JSON.stringify(p.name)} has forceString; Slipway passes it like --set, where "true" or "42" are not kept as strings`);
  }
  if (helm.values !== undefined || helm.valuesObject !== undefined) {
    const which = [helm.values !== undefined && `${field}.values`, helm.valuesObject !== undefined && `${field}.valuesObject`].filter(Boolean).join(' and ');
    report.add('warning', 'argocd-helm-inline-values', `${which}: inline Helm values are not supported; the preview renders without them and may differ from what Argo CD syncs (move them into a values file)`);
  }
  if (helm.fileParameters?.length) report.add('warning', 'argocd-field-ignored', `${field}.fileParameters is not supported; rendered without it`);
  reportIgnoredFields(report, field, helm, [...ARGO_HELM_HANDLED]);
  return { ...(helm.releaseName !== undefined && { releaseName: helm.releaseName }), valuesFiles, set };
}

/** "values-prod.yaml" is relative to the source's path; "$values/env/prod.yaml" to the root of the ref source named "values". */
function resolveArgoValuesFile(
  file: string,
  ctx: { appPath: string; refs: ReadonlyMap<string, ArgoSource>; repos: RepoFilter },
): { ok: true; path: string } | { ok: false; reason: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return { ok: false, reason: 'is a URL, which Slipway does not fetch' };
  const ref = /^\$([^/]+)\/(.*)$/.exec(file);
  if (!ref) return resolveRepoPath(ctx.appPath, file);
  const [, refName = '', rest = ''] = ref;
  const refSource = ctx.refs.get(refName);
  if (!refSource) return { ok: false, reason: `names the source ref "${refName}", which spec.sources does not have` };
  if (!ctx.repos.matches(refSource.repoURL)) return { ok: false, reason: `comes from ${ctx.repos.describeOther(refSource.repoURL)}` };
  return normalizeRepoPath(rest);
}

function argoOptions(application: ArgoApplication, report: Reporter): AppOptions {
  const sync = application.spec.syncPolicy;
  const automated = sync?.automated;
  const ignoreDifferences: IgnoreDifferencesRule[] = [];
  (application.spec.ignoreDifferences ?? []).forEach((rule, i) => {
    const parsed = ignoreDifferencesRuleSchema.safeParse(rule);
    if (parsed.success) ignoreDifferences.push(toIgnoreDifferencesRule(parsed.data));
    else report.add('warning', 'argocd-ignore-differences', `spec.ignoreDifferences[${i}] is left out: ${issueSummary(parsed.error)}`);
  });
  return {
    ...DEFAULT_APP_OPTIONS,
    prune: automated !== undefined && automated !== null && automated.enabled !== false && automated.prune === true,
    createNamespace: (sync?.syncOptions ?? []).some((o) => o.replace(/\s/g, '') === 'CreateNamespace=true'),
    ignoreDifferences,
  };
}

// ---------------------------------------------------------------------------------------------
// Flux

function importFluxKustomization(
  kustomization: FluxKustomization,
  object: GitOpsObject,
  ctx: { report: Reporter; resource: ResourceKey; repos: RepoFilter; gitRepositories: readonly FluxGitRepository[] },
): Candidate[] {
  const { report, repos } = ctx;
  const spec = kustomization.spec;
  const namespace = kustomization.metadata.namespace ?? '';
  let targetRevision: string | undefined;
  if (spec.sourceRef) {
    const ref = spec.sourceRef;
    if (ref.kind !== 'GitRepository') {
      report.add('warning', 'flux-non-git-source', `spec.sourceRef is ${ref.kind} ${ref.name}, not a GitRepository; not imported`);
      return [];
    }
    const refNamespace = ref.namespace ?? namespace;
    const repo = ctx.gitRepositories.find((r) => r.metadata.name === ref.name && (r.metadata.namespace ?? refNamespace) === refNamespace);
    if (repo) {
      if (!repos.matches(repo.spec.url)) {
        report.add('warning', 'flux-foreign-repo', `spec.sourceRef GitRepository ${refNamespace ? `${refNamespace}/` : ''}${ref.name} points at ${repos.describeOther(repo.spec.url)}; not imported`);
        return [];
      }
      const r = repo.spec.ref;
      targetRevision = r?.branch ?? r?.tag ?? r?.commit ?? r?.name ?? r?.semver;
    } else {
      report.add('info', 'flux-source-not-found', `spec.sourceRef GitRepository ${refNamespace ? `${refNamespace}/` : ''}${ref.name} is not among this repository's objects; taken to be this repository`);
    }
  }
  const path = normalizeRepoPath(spec.path ?? '');
  if (!path.ok) {
    report.add('warning', 'flux-invalid-path', `spec.path ${JSON.stringify(spec.path)} ${path.reason}; not imported`);
    return [];
  }
  const ignored = FLUX_RENDERING_FIELDS.filter((f) => spec[f] !== undefined && spec[f] !== null);
  if (ignored.length) report.add('warning', 'flux-field-ignored', `${ignored.map((f) => `spec.${f}`).join(', ')} ${ignored.length === 1 ? 'is' : 'are'} not applied by Slipway; the preview may differ from what Flux syncs`);

  const app: App = {
    name: appNameOf(kustomization.metadata.name, report),
    path: path.path,
    source: { type: 'auto' },
    destination: spec.targetNamespace ? { namespace: spec.targetNamespace } : {},
    options: { ...DEFAULT_APP_OPTIONS, prune: spec.prune === true },
    ...(targetRevision !== undefined && { targetRevision }),
    origin: { kind: 'flux', file: object.source.file, ...(object.source.line !== undefined && { line: object.source.line }) },
  };
  return [{ app, resource: ctx.resource, namespace, location: object.source }];
}

function collectGitRepositories(objects: readonly GitOpsObject[]): FluxGitRepository[] {
  const found: FluxGitRepository[] = [];
  for (const { manifest } of objects) {
    if (!isRecord(manifest) || manifest.kind !== 'GitRepository' || typeof manifest.apiVersion !== 'string') continue;
    if (parseApiVersion(manifest.apiVersion).group !== FLUX_SOURCE_GROUP) continue;
    const parsed = fluxGitRepositorySchema.safeParse(manifest);
    if (parsed.success) found.push(parsed.data);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Shared

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
  const seen = new Map<string, Candidate>();
  for (const c of ordered) {
    const identity = `${c.app.origin.kind}|${c.namespace}|${c.app.name}`;
    const first = seen.get(identity);
    if (first) diagnostics.push(duplicateDiagnostic(c, first));
    else {
      seen.set(identity, c);
      unique.push(c);
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

/** metadata.name as an app name; says so when it had to change ("Monitoring.Stack" → "monitoring-stack"). */
function appNameOf(name: string, report: Reporter): string {
  const appName = toAppName(name) || 'app';
  if (appName !== name) report.add('info', 'app-name-adjusted', `imported as app ${JSON.stringify(appName)}: app names use lowercase letters, digits and "-"`);
  return appName;
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

/** Which Git URLs are this repository. */
interface RepoFilter {
  matches(url: string | undefined): boolean;
  /** "https://github.com/acme/other, which is not this repository (github.com/acme/shop-infra)" */
  describeOther(url: string | undefined): string;
}

function repoFilter(repoUrls: readonly string[] | undefined): RepoFilter {
  const ours = new Set((repoUrls ?? []).map(normalizeRepoUrl));
  const list = [...ours].sort().join(', ') || 'no URL given';
  return {
    matches: (url) => repoUrls === undefined || (url !== undefined && ours.has(normalizeRepoUrl(url))),
    describeOther: (url) => `${url === undefined ? '(no repoURL)' : redactUrl(url)}, which is not this repository (${list})`,
  };
}

/** Hides credentials written into a URL ("https://token@host/…" → "https://***@host/…"); "git@" stays. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]+)@/i, (whole, scheme: string, userinfo: string) => (userinfo === 'git' ? whole : `${scheme}***@`));
}

function resourceKeyOf(manifest: Record<string, unknown>): ResourceKey {
  const { group, version } = parseApiVersion(String(manifest.apiVersion));
  const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  return { group, version, kind: String(manifest.kind), ...(namespace !== undefined && { namespace }), name };
}

/** Reports the fields of `value` not in `handled` as not applied (an empty `handled`: every field). */
function reportIgnoredFields(report: Reporter, field: string, value: Record<string, unknown> | undefined, handled: readonly string[]): void {
  if (!value) return;
  const ignored = Object.keys(value)
    .filter((k) => !handled.includes(k))
    .sort();
  if (ignored.length === 0) return;
  report.add('warning', 'argocd-field-ignored', `${ignored.map((k) => `${field}.${k}`).join(', ')} ${ignored.length === 1 ? 'is' : 'are'} not applied by Slipway; the preview may differ from what Argo CD syncs`);
}

function reportInvalid(report: Reporter, code: string, what: string, error: z.ZodError): void {
  report.add('warning', code, `${what} is not imported: ${issueSummary(error)}`);
}

function issueSummary(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = formatPath(issue.path.filter((s): s is string | number => typeof s !== 'symbol'));
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
