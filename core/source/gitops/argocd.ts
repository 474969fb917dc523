/** Argo CD Applications as apps (the table in ../gitops.ts). */
import { z } from 'zod';
import type { ResourceKey } from '../../model/resource.js';
import { COMPARE_OPTIONS_ANNOTATION, parseSyncOptions } from '../../model/sync-options.js';
import type { App, AppOptions, DirectoryOptions, HelmOptions, IgnoreDifferencesRule, JsonnetOptions, NamespaceMetadata, SourceType } from '../apps.js';
import { compareStrings, DEFAULT_APP_OPTIONS, toAppName } from '../apps.js';
import { normalizeRepoPath, resolveRepoPath } from '../paths.js';
import { ignoreDifferencesRuleSchema, toIgnoreDifferencesRule } from '../slipway-config.js';
import { argoJsonnetSchema, toJsonnetOptions } from '../jsonnet-config.js';
import type { Reporter } from './common.js';
import { argoChartApp } from './argocd-chart.js';
import { appNameOf, issueSummary, redactUrl, reportIgnoredFields, type Candidate, type GitOpsObject, type RepoFilter } from './common.js';

export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';

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
export const argoApplicationSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
  spec: z.looseObject({
    source: argoSourceSchema.optional(),
    sources: z.array(argoSourceSchema).optional(),
    destination: z.looseObject({ name: z.string().optional(), namespace: z.string().optional(), server: z.string().optional() }).optional(),
    syncPolicy: z
      .looseObject({
        automated: z.looseObject({ prune: z.boolean().optional(), enabled: z.boolean().optional() }).nullable().optional(),
        syncOptions: z.array(z.string()).optional(),
        managedNamespaceMetadata: z.unknown().optional(),
      })
      .optional(),
    ignoreDifferences: z.array(z.unknown()).optional(),
  }),
});
type ArgoSource = z.output<typeof argoSourceSchema>;
export type ArgoApplication = z.output<typeof argoApplicationSchema>;

/** Helm fields applied, or reported on their own; any other field of spec.source.helm is reported as ignored. */
const ARGO_HELM_HANDLED = new Set(['releaseName', 'valueFiles', 'parameters', 'values', 'valuesObject', 'fileParameters', 'ignoreMissingValueFiles', 'passCredentials', 'version']);

export function importArgoApplication(
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
  const charts: { source: ArgoSource; field: string; index: number }[] = [];
  sources.forEach(({ source, field }, index) => {
    if (source.chart !== undefined) {
      charts.push({ source, field, index });
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

  const baseName = picked.length + charts.length > 0 ? appNameOf(application.metadata.name, report) : '';
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
    reportIgnoredFields(report, `${field}.directory`, source.directory, ['jsonnet', 'recurse', 'include', 'exclude']);
    const directory = type === 'directory' || type === 'auto' ? argoDirectoryOptions(source.directory, { field: `${field}.directory`, report }) : undefined;
    const suffix = picked.length > 1 ? `-${toAppName(source.name ?? '') || index}` : '';
    const app: App = {
      name: toAppName(`${baseName}${suffix}`) || 'app',
      path: path.path,
      source: { type, ...(helm && { helm }), ...(directory && { directory }) },
      destination: {
        ...(spec.destination?.name && { context: spec.destination.name }),
        ...(spec.destination?.namespace && { namespace: spec.destination.namespace }),
      },
      options,
      ...(source.targetRevision !== undefined && { targetRevision: source.targetRevision }),
      ...(source.repoURL !== undefined && { repoUrl: redactUrl(source.repoURL) }),
      origin: { kind: 'argocd', file: object.source.file, ...(object.source.line !== undefined && { line: object.source.line }) },
    };
    candidates.push({ app, resource: ctx.resource, namespace: application.metadata.namespace ?? '', location: object.source });
  }
  // Charts from a Helm repository or OCI registry (./argocd-chart.ts).
  for (const { source, field, index } of charts) {
    const suffix = picked.length + charts.length > 1 ? `-${toAppName(source.name ?? source.chart ?? '') || index}` : '';
    const destination = { ...(spec.destination?.name && { context: spec.destination.name }), ...(spec.destination?.namespace && { namespace: spec.destination.namespace }) };
    const origin = { kind: 'argocd' as const, file: object.source.file, ...(object.source.line !== undefined && { line: object.source.line }) };
    const app = argoChartApp(source, { field, name: `${baseName}${suffix}`, options, destination, origin, report, helmOptions: (helm, at) => argoHelmOptions(helm, { field: at, appPath: '', refs, repos, report }) });
    if (app) candidates.push({ app, resource: ctx.resource, namespace: application.metadata.namespace ?? '', location: object.source });
  }
  if (candidates.length > 1) {
    report.add('info', 'argocd-multi-source', `spec.sources has ${candidates.length} sources with a path in this repository; each is its own app: ${candidates.map((c) => c.app.name).join(', ')}`);
  }
  return candidates;
}

/**
 * spec.source.directory as Argo CD reads it: only the folder itself unless `recurse` (Argo CD's
 * default, unlike a Slipway folder app), `include`/`exclude` globs, and the jsonnet options (an
 * unreadable one or a lib outside the repository is a warning).
 */
function argoDirectoryOptions(directory: Record<string, unknown> | undefined, ctx: { field: string; report: Reporter }): DirectoryOptions {
  const files = argoDirectoryFilesSchema.safeParse(directory ?? {});
  if (!files.success) ctx.report.add('warning', 'argocd-directory-invalid', `${ctx.field} is read as recurse: false with no include or exclude: ${issueSummary(files.error)}`);
  const { recurse = false, include, exclude } = files.success ? files.data : {};
  const jsonnet = argoJsonnetOptions(directory?.jsonnet, ctx);
  return { recurse, ...(include && { include }), ...(exclude && { exclude }), ...(jsonnet && { jsonnet }) };
}

const argoDirectoryFilesSchema = z.object({ recurse: z.boolean().nullish(), include: z.string().nullish(), exclude: z.string().nullish() }).transform((d) => ({
  ...(typeof d.recurse === 'boolean' && { recurse: d.recurse }),
  ...(d.include && { include: d.include }),
  ...(d.exclude && { exclude: d.exclude }),
}));

function argoJsonnetOptions(value: unknown, ctx: { field: string; report: Reporter }): JsonnetOptions | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = argoJsonnetSchema.safeParse(value);
  if (!parsed.success) {
    ctx.report.add('warning', 'argocd-jsonnet-invalid', `${ctx.field}.jsonnet is left out: ${issueSummary(parsed.error)}`);
    return undefined;
  }
  const { options, problems } = toJsonnetOptions(parsed.data);
  for (const p of problems) ctx.report.add('warning', 'argocd-jsonnet-lib', `${ctx.field}.jsonnet: ${p}; rendered without it`);
  const empty = options.extVars.length === 0 && options.tlas.length === 0 && options.libs.length === 0;
  return empty ? undefined : options;
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
  // Every sync option is honoured, or a warning naming this Application says why not (core/model/sync-options.ts).
  const parsed = parseSyncOptions(sync?.syncOptions ?? [], { where: 'app', field: 'spec.syncPolicy.syncOptions' });
  for (const d of parsed.diagnostics) report.add(d.severity, d.code, d.message);
  // The Application's own compare options (Argo CD's diff-strategies.md: ServerSideDiff, IncludeMutationWebhook) are about
  // how its app is compared: Slipway always diffs a server-side dry-run, so what it cannot honour is said here.
  const annotations: unknown = application.metadata.annotations;
  const compare = typeof annotations === 'object' && annotations !== null ? (annotations as Record<string, unknown>)[COMPARE_OPTIONS_ANNOTATION] : undefined;
  if (typeof compare === 'string') {
    const field = `annotation ${COMPARE_OPTIONS_ANNOTATION}`;
    for (const d of parseSyncOptions(compare, { where: 'object', annotation: 'compare-options', field }).diagnostics) report.add(d.severity, d.code, d.message);
  }
  const { CreateNamespace: createNamespace, ...syncOptions } = parsed.options;
  const metadata = namespaceMetadata(sync?.managedNamespaceMetadata, report);
  if (metadata && createNamespace !== 'true') report.add('warning', 'argocd-namespace-metadata', 'spec.syncPolicy.managedNamespaceMetadata does nothing without the sync option CreateNamespace=true (as in Argo CD)');
  return {
    ...DEFAULT_APP_OPTIONS,
    prune: automated !== undefined && automated !== null && automated.enabled !== false && automated.prune === true,
    createNamespace: createNamespace === 'true',
    ignoreDifferences,
    ...(Object.keys(syncOptions).length > 0 && { syncOptions }),
    ...(metadata && createNamespace === 'true' && { managedNamespaceMetadata: metadata }),
  };
}

/** spec.syncPolicy.managedNamespaceMetadata: string labels and annotations; anything else is left out with a warning. */
function namespaceMetadata(value: unknown, report: Reporter): NamespaceMetadata | undefined {
  if (value === undefined || value === null) return undefined;
  const field = 'spec.syncPolicy.managedNamespaceMetadata';
  if (typeof value !== 'object' || Array.isArray(value)) {
    report.add('warning', 'argocd-namespace-metadata', `${field} is not a mapping; left out`);
    return undefined;
  }
  const out: { labels?: Record<string, string>; annotations?: Record<string, string> } = {};
  for (const [key, entries] of Object.entries(value)) {
    if (key !== 'labels' && key !== 'annotations') {
      report.add('warning', 'argocd-namespace-metadata', `${field}.${key} is not supported (only labels and annotations); left out`);
      continue;
    }
    if (entries === null || entries === undefined) continue;
    if (typeof entries !== 'object' || Array.isArray(entries)) {
      report.add('warning', 'argocd-namespace-metadata', `${field}.${key} is not a mapping; left out`);
      continue;
    }
    const kept: Record<string, string> = {};
    for (const [k, v] of Object.entries(entries as Record<string, unknown>)) {
      if (typeof v === 'string') kept[k] = v;
      else report.add('warning', 'argocd-namespace-metadata', `${field}.${key}.${k} is not a string; left out`);
    }
    if (Object.keys(kept).length > 0) out[key] = kept;
  }
  return out.labels || out.annotations ? out : undefined;
}
