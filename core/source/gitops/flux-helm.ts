/** Flux HelmReleases as helm apps (the table in ../gitops.ts). */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ResourceKey } from '../../model/resource.js';
import { parseApiVersion } from '../../model/resource.js';
import type { App, HelmValuesLayer, SecretValuesRef } from '../apps.js';
import { DEFAULT_APP_OPTIONS } from '../apps.js';
import { normalizeRepoPath } from '../paths.js';
import { isRecord } from '../util.js';
import type { FluxGitRepository } from './flux.js';
import { appNameOf, redactUrl, type Candidate, type GitOpsObject, type RepoFilter, type Reporter } from './common.js';
import { FLUX_SOURCE_GROUP, UnfollowedSources } from './flux-sources.js';

export const FLUX_HELM_API_VERSIONS: readonly string[] = ['helm.toolkit.fluxcd.io/v2', 'helm.toolkit.fluxcd.io/v2beta2', 'helm.toolkit.fluxcd.io/v2beta1'];

const refSchema = z.looseObject({ kind: z.string(), name: z.string(), namespace: z.string().optional() });

export const fluxHelmReleaseSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
  spec: z.looseObject({
    chart: z
      .looseObject({
        spec: z.looseObject({ chart: z.string(), version: z.string().optional(), sourceRef: refSchema, valuesFiles: z.array(z.string()).optional(), valuesFile: z.string().optional() }),
      })
      .optional(),
    chartRef: refSchema.optional(),
    releaseName: z.string().optional(),
    targetNamespace: z.string().optional(),
    values: z.record(z.string(), z.unknown()).nullish(),
    valuesFrom: z
      .array(z.looseObject({ kind: z.string(), name: z.string(), valuesKey: z.string().optional(), targetPath: z.string().optional(), optional: z.boolean().optional() }))
      .optional(),
    install: z.looseObject({ createNamespace: z.boolean().optional() }).optional(),
  }),
});
export type FluxHelmRelease = z.output<typeof fluxHelmReleaseSchema>;

/** Flux's sources that hold charts, and the ConfigMaps valuesFrom reads: what a HelmRelease refers to. */
export interface FluxHelmContext {
  readonly report: Reporter;
  readonly resource: ResourceKey;
  readonly repos: RepoFilter;
  readonly gitRepositories: readonly FluxGitRepository[];
  readonly objects: readonly GitOpsObject[];
  /** Sources not followed (ExternalArtifact, Bucket, HelmChart): one warning per source for all the objects that refer to it. */
  readonly unfollowed: UnfollowedSources;
  /** The folder whose rendering the objects are (child apps of an overlay); absent: the repository's files. Where a valuesFrom Secret is read again. */
  readonly renderedFrom?: string;
}

/** What a followed source kind means for a chart: a folder of this repository, or a chart fetched from a Helm or OCI repository. */
const SOURCE_KINDS: Readonly<Record<string, 'git' | 'helm-repository' | 'oci-repository'>> = {
  GitRepository: 'git',
  HelmRepository: 'helm-repository',
  OCIRepository: 'oci-repository',
};

export function importFluxHelmRelease(release: FluxHelmRelease, object: GitOpsObject, ctx: FluxHelmContext): Candidate[] {
  const { report } = ctx;
  const spec = release.spec;
  const namespace = release.metadata.namespace ?? '';
  const ref = spec.chart?.spec.sourceRef ?? spec.chartRef;
  if (!ref) {
    report.add('info', 'flux-helm-patch', 'a HelmRelease naming no chart (a kustomize patch?) is not imported by itself; the overlay that patches it renders it');
    return [];
  }
  const field = spec.chart ? 'spec.chart.spec.sourceRef' : 'spec.chartRef';
  const refNamespace = ref.namespace ?? namespace;
  const refName = `${ref.kind} ${refNamespace ? `${refNamespace}/` : ''}${ref.name}`;
  const kind = SOURCE_KINDS[ref.kind];
  if (kind === undefined || !UnfollowedSources.follows('HelmRelease', ref.kind)) {
    ctx.unfollowed.add({ kind: ref.kind, namespace: refNamespace, name: ref.name }, { referrer: 'HelmRelease', resource: ctx.resource, location: object.source });
    return [];
  }
  const targetNamespace = spec.targetNamespace ?? (namespace || undefined);
  const releaseName = spec.releaseName ?? (spec.targetNamespace ? `${spec.targetNamespace}-${release.metadata.name}` : release.metadata.name);
  const values = mergedValues(release, ctx);
  const base = {
    name: appNameOf(release.metadata.name, report),
    destination: targetNamespace ? { namespace: targetNamespace } : {},
    options: { ...DEFAULT_APP_OPTIONS, createNamespace: spec.install?.createNamespace === true },
    origin: {
      kind: 'flux' as const,
      file: object.source.file,
      ...(object.source.line !== undefined && { line: object.source.line }),
      object: { kind: 'HelmRelease', ...(namespace && { namespace }), name: release.metadata.name },
    },
  };
  const helmOf = (valuesFiles: readonly string[]): NonNullable<App['source']['helm']> => ({ releaseName, valuesFiles, set: {}, ...values });

  let app: App | undefined;
  if (kind === 'git') app = gitChartApp(release, { ...ctx, refName, refNamespace, field }, (path, valuesFiles, targetRevision) => ({ ...base, path, source: { type: 'helm', helm: helmOf(valuesFiles) }, ...(targetRevision !== undefined && { targetRevision }) }));
  else {
    const chart = chartOf(release, kind, { ...ctx, refName, refNamespace, field });
    if (chart) app = { ...base, path: '', source: { type: 'helm', helm: helmOf([]), chart }, ...(chart.targetRevision && { targetRevision: chart.targetRevision }), repoUrl: chart.repoURL };
  }
  return app ? [{ app, resource: ctx.resource, namespace, location: object.source }] : [];
}

type RefContext = FluxHelmContext & { readonly refName: string; readonly refNamespace: string; readonly field: string };

/** A chart at a path of this repository: spec.chart.spec.chart and valuesFiles are relative to the source's root. */
function gitChartApp(release: FluxHelmRelease, ctx: RefContext, build: (path: string, valuesFiles: readonly string[], targetRevision: string | undefined) => App): App | undefined {
  const { report } = ctx;
  const chartSpec = release.spec.chart?.spec;
  if (!chartSpec) {
    report.add('warning', 'flux-helm-source-unsupported', `${ctx.field} is ${ctx.refName}: a chartRef must name an OCIRepository or HelmChart; not imported`);
    return undefined;
  }
  const ref = chartSpec.sourceRef;
  const repo = ctx.gitRepositories.find((r) => r.metadata.name === ref.name && (r.metadata.namespace ?? ctx.refNamespace) === ctx.refNamespace);
  let targetRevision: string | undefined;
  if (repo) {
    if (!ctx.repos.matches(repo.spec.url)) {
      report.add('warning', 'flux-foreign-repo', `${ctx.field} ${ctx.refName} points at ${ctx.repos.describeOther(repo.spec.url)}; not imported`);
      return undefined;
    }
    const r = repo.spec.ref;
    targetRevision = r?.branch ?? r?.tag ?? r?.commit ?? r?.name ?? r?.semver;
  } else report.add('info', 'flux-source-not-found', `${ctx.field} ${ctx.refName} is not among this repository's objects; taken to be this repository`);
  const path = normalizeRepoPath(chartSpec.chart);
  if (!path.ok) {
    report.add('warning', 'flux-invalid-path', `spec.chart.spec.chart ${JSON.stringify(chartSpec.chart)} ${path.reason}; not imported`);
    return undefined;
  }
  const valuesFiles: string[] = [];
  for (const f of [...(chartSpec.valuesFiles ?? []), ...(chartSpec.valuesFile ? [chartSpec.valuesFile] : [])]) {
    const p = normalizeRepoPath(f);
    if (p.ok) valuesFiles.push(p.path);
    else report.add('warning', 'flux-invalid-path', `spec.chart.spec.valuesFiles ${JSON.stringify(f)} ${p.reason}; rendered without it`);
  }
  return build(path.path, valuesFiles, targetRevision);
}

/** A chart fetched from a Helm repository or an OCI registry (the chart-source app type). */
function chartOf(release: FluxHelmRelease, kind: 'helm-repository' | 'oci-repository', ctx: RefContext): App['source']['chart'] {
  const { report } = ctx;
  const ref = release.spec.chart?.spec.sourceRef ?? release.spec.chartRef!;
  const source = findSource(ctx.objects, ref.kind, ref.name, ctx.refNamespace);
  if (!source || typeof source.spec.url !== 'string') {
    report.add('warning', 'flux-source-not-found', `${ctx.field} ${ctx.refName} is not among this repository's objects (or has no spec.url), so the chart cannot be fetched; not imported`);
    return undefined;
  }
  const url = source.spec.url;
  if (kind === 'helm-repository') {
    const chartSpec = release.spec.chart?.spec;
    if (!chartSpec) return undefined;
    // A HelmRepository of type oci holds its charts under oci://host/path/<chart>.
    const repoURL = source.spec.type === 'oci' && !url.startsWith('oci://') ? `oci://${url}` : url;
    return { repoURL: redactUrl(repoURL), chart: chartSpec.chart, targetRevision: chartSpec.version ?? '*' };
  }
  // An OCIRepository's URL is the chart itself: oci://host/path/<chart>.
  const at = url.lastIndexOf('/');
  const r = isRecord(source.spec.ref) ? source.spec.ref : {};
  const version = [r.tag, r.semver, r.digest].find((v): v is string => typeof v === 'string') ?? '*';
  return { repoURL: redactUrl(url.slice(0, at)), chart: url.slice(at + 1), targetRevision: version };
}

function findSource(objects: readonly GitOpsObject[], kind: string, name: string, namespace: string): { spec: Record<string, unknown> } | undefined {
  for (const { manifest: m } of objects) {
    if (!isRecord(m) || m.kind !== kind || typeof m.apiVersion !== 'string' || parseApiVersion(m.apiVersion).group !== FLUX_SOURCE_GROUP) continue;
    const meta = isRecord(m.metadata) ? m.metadata : {};
    if (meta.name === name && ((meta.namespace as string | undefined) ?? namespace) === namespace && isRecord(m.spec)) return { spec: m.spec };
  }
  return undefined;
}

/**
 * spec.valuesFrom (ConfigMaps and Secrets of this repository, in order) merged under spec.values,
 * as Flux does. ConfigMaps are merged here (`values`). A Secret is never read into the app, which
 * is listed and recorded: it becomes a reference among the layers (`valuesLayers`), read and
 * merged in order when the chart is rendered (core/render/secret-values.ts).
 */
function mergedValues(release: FluxHelmRelease, ctx: FluxHelmContext): { values?: Record<string, unknown>; valuesLayers?: HelmValuesLayer[] } {
  const layers: HelmValuesLayer[] = [];
  let merged: Record<string, unknown> = {};
  const flush = (): void => {
    if (Object.keys(merged).length > 0) layers.push({ values: merged });
    merged = {};
  };
  const namespace = release.metadata.namespace ?? '';
  for (const [i, from] of (release.spec.valuesFrom ?? []).entries()) {
    const field = `spec.valuesFrom[${i}]`;
    const key = from.valuesKey ?? 'values.yaml';
    if (from.kind === 'Secret') {
      const secret = secretRef(release, { field, name: from.name, key, optional: from.optional === true, ...(from.targetPath && { targetPath: from.targetPath }) }, ctx);
      if (secret) {
        flush();
        layers.push({ secret });
      }
      continue;
    }
    const data = from.kind === 'ConfigMap' ? configMapData(ctx.objects, from.name, namespace) : undefined;
    const text = data?.[key];
    if (typeof text !== 'string') {
      if (!from.optional) ctx.report.add('warning', 'flux-values-not-found', `${field}: ${from.kind} ${from.name} key ${key} is not among this repository's objects; rendered without it`);
      continue;
    }
    let value: unknown;
    try {
      value = from.targetPath ? text : parseYaml(text);
    } catch (err) {
      ctx.report.add('warning', 'flux-values-invalid', `${field}: ${from.kind} ${from.name} key ${key} is not YAML (${err instanceof Error ? err.message : String(err)}); rendered without it`);
      continue;
    }
    if (from.targetPath) merged = deepMerge(merged, valuesAtPath(from.targetPath, value));
    else if (isRecord(value)) merged = deepMerge(merged, value);
  }
  if (release.spec.values) merged = deepMerge(merged, release.spec.values);
  if (layers.length === 0) return Object.keys(merged).length > 0 ? { values: merged } : {};
  flush();
  return { valuesLayers: layers };
}

/**
 * Where the Secret a valuesFrom names is defined: a file of the repository, or the rendering the
 * HelmRelease came from. Only its name and keys are looked at here, never its values.
 */
function secretRef(release: FluxHelmRelease, ref: Omit<SecretValuesRef, 'from' | 'namespace'>, ctx: FluxHelmContext): SecretValuesRef | undefined {
  const namespace = release.metadata.namespace ?? '';
  const found = findSecret(ctx.objects, ref.name, namespace);
  const name = `${namespace ? `${namespace}/` : ''}${ref.name}`;
  if (!found) {
    if (ref.optional) ctx.report.add('info', 'flux-values-secret-not-found', `${ref.field}: Secret ${name} (optional) is not among this repository's objects; rendered without it, as Flux does where the cluster has none`);
    else
      ctx.report.add(
        'warning',
        'flux-values-secret-not-found',
        `${ref.field}: Secret ${name} is not among this repository's objects (made on the cluster, or in another repository?), so the preview is rendered without its values; to preview with them, define it in the repository — SOPS-encrypted, with the metadata in clear (--encrypted-regex '^(data|stringData)$'); Slipway decrypts it with your key and never keeps the values`,
      );
    return undefined;
  }
  const keys = [...Object.keys(isRecord(found.manifest.data) ? found.manifest.data : {}), ...Object.keys(isRecord(found.manifest.stringData) ? found.manifest.stringData : {})];
  if (!keys.includes(ref.key)) {
    if (!ref.optional) ctx.report.add('warning', 'flux-values-not-found', `${ref.field}: Secret ${name} (${found.source.file}) has no key ${ref.key}${keys.length ? ` (it has ${keys.sort().join(', ')})` : ''}; rendered without it`);
    return undefined;
  }
  return { ...ref, ...(namespace && { namespace }), from: ctx.renderedFrom !== undefined ? { render: ctx.renderedFrom } : { file: found.source.file } };
}

function findSecret(objects: readonly GitOpsObject[], name: string, namespace: string): { manifest: Record<string, unknown>; source: GitOpsObject['source'] } | undefined {
  for (const { manifest: m, source } of objects) {
    if (!isRecord(m) || m.kind !== 'Secret' || m.apiVersion !== 'v1') continue;
    const meta = isRecord(m.metadata) ? m.metadata : {};
    if (meta.name === name && ((meta.namespace as string | undefined) ?? namespace) === namespace) return { manifest: m, source };
  }
  return undefined;
}

function configMapData(objects: readonly GitOpsObject[], name: string, namespace: string): Record<string, unknown> | undefined {
  for (const { manifest: m } of objects) {
    if (!isRecord(m) || m.kind !== 'ConfigMap' || m.apiVersion !== 'v1') continue;
    const meta = isRecord(m.metadata) ? m.metadata : {};
    if (meta.name === name && ((meta.namespace as string | undefined) ?? namespace) === namespace && isRecord(m.data)) return m.data;
  }
  return undefined;
}

/** Helm's merge of values: maps merge key by key, anything else is replaced. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isRecord(b) && isRecord(v) ? deepMerge(b, v) : v;
  }
  return out;
}

/** "a.b.c" → { a: { b: { c: value } } } (Flux's targetPath, without list indexes). */
export function valuesAtPath(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((acc, key) => ({ [key]: acc }), value) as Record<string, unknown>;
}
