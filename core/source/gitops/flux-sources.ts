/**
 * Flux sources Slipway cannot follow — an `ExternalArtifact` (Flux 2.7: made on the cluster by an
 * ArtifactGenerator), a `Bucket`, a `HelmChart`, the `OCIRepository` of a Kustomization: one
 * warning per source object (kind, namespace, name), naming every Kustomization and HelmRelease
 * that refers to it and what to do, instead of one warning per referring object.
 */
import type { Diagnostic, SourceLocation } from '../../model/diagnostics.js';
import { formatLocation } from '../../model/diagnostics.js';
import type { ResourceKey } from '../../model/resource.js';
import { parseApiVersion } from '../../model/resource.js';
import { compareStrings } from '../apps.js';
import { isRecord } from '../util.js';
import type { GitOpsObject } from './common.js';

export const FLUX_SOURCE_GROUP = 'source.toolkit.fluxcd.io';
const ARTIFACT_GENERATOR_GROUP = 'source.extensions.fluxcd.io';

/** The Flux objects that refer to a source. */
export type FluxReferrer = 'Kustomization' | 'HelmRelease';

/** The source kinds Slipway follows, per referring kind: a chart of this repository or a Helm/OCI repository; a folder of this repository. */
export const FOLLOWED_SOURCES: Readonly<Record<FluxReferrer, readonly string[]>> = {
  Kustomization: ['GitRepository'],
  HelmRelease: ['GitRepository', 'HelmRepository', 'OCIRepository'],
};

/** Why a source kind is not followed, and what to do per referring kind ("{folders}": the folders an ArtifactGenerator copied, when known). A table: a new kind is a row. */
export const UNFOLLOWED_SOURCES: Readonly<Record<string, { readonly why: string; readonly todo: Readonly<Record<FluxReferrer, string>> }>> = {
  ExternalArtifact: {
    why: 'an ExternalArtifact is assembled on the cluster by another controller (an ArtifactGenerator) from files Slipway cannot see',
    todo: {
      Kustomization: 'plan the folder of this repository it is made from with --path{folders}, or point spec.sourceRef at a GitRepository of this repository',
      HelmRelease: 'point spec.chart.spec.sourceRef at a GitRepository of this repository (the chart folder), a HelmRepository or an OCIRepository',
    },
  },
  Bucket: {
    why: 'a Bucket is object storage Slipway does not read',
    todo: { Kustomization: 'keep the manifests in this repository (a GitRepository source), or plan their folder with --path', HelmRelease: 'keep the chart in this repository (a GitRepository source), a HelmRepository or an OCIRepository' },
  },
  HelmChart: {
    why: 'a HelmChart names another source',
    todo: { Kustomization: 'point spec.sourceRef at a GitRepository of this repository', HelmRelease: 'name its HelmRepository or GitRepository in spec.chart.spec instead' },
  },
  OCIRepository: {
    why: 'the OCIRepository of a Kustomization holds manifests pushed as an OCI artifact, which Slipway does not fetch',
    todo: { Kustomization: 'plan the folder of this repository the artifact is pushed from with --path', HelmRelease: '' },
  },
};

interface Reference {
  readonly referrer: FluxReferrer;
  readonly resource: ResourceKey;
  readonly location: SourceLocation;
  /** The referring object's path inside the source (a Kustomization's spec.path), for the advice. */
  readonly path?: string;
}

/** Collects the unfollowed sources the objects refer to; `diagnostics` gives one warning per source. */
export class UnfollowedSources {
  private readonly sources = new Map<string, { readonly key: ResourceKey; readonly refs: Reference[] }>();

  /** Whether `kind` is a source a `referrer` is imported from. */
  static follows(referrer: FluxReferrer, kind: string): boolean {
    return FOLLOWED_SOURCES[referrer].includes(kind);
  }

  add(source: { readonly kind: string; readonly namespace: string; readonly name: string }, ref: Reference): void {
    const id = `${source.kind}\0${source.namespace}\0${source.name}`;
    let entry = this.sources.get(id);
    if (!entry) this.sources.set(id, (entry = { key: { group: FLUX_SOURCE_GROUP, version: 'v1', kind: source.kind, ...(source.namespace && { namespace: source.namespace }), name: source.name }, refs: [] }));
    entry.refs.push(ref);
  }

  /** One warning per source, at the first object (by file and line) that refers to it. `objects` are searched for the ArtifactGenerator that makes an ExternalArtifact. */
  diagnostics(objects: readonly GitOpsObject[]): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const { key, refs } of this.sources.values()) {
      const sorted = [...refs].sort((a, b) => compareStrings(a.location.file, b.location.file) || (a.location.line ?? 0) - (b.location.line ?? 0));
      const row = UNFOLLOWED_SOURCES[key.kind];
      const generators = key.kind === 'ExternalArtifact' ? artifactGenerators(objects, key) : [];
      const why = row?.why ?? `Slipway does not follow ${key.kind} sources`;
      const made = generators.length > 0 ? ` (made by ${generators.map((g) => `ArtifactGenerator ${g.name} at ${formatLocation(g.location)}`).join(', ')})` : '';
      const at = sorted[0]!.location;
      // The first is where the warning is: its location goes without saying.
      const referrers = sorted.map((r, i) => `${r.referrer} ${r.resource.namespace ? `${r.resource.namespace}/` : ''}${r.resource.name}${i === 0 && formatLocation(r.location) === formatLocation(at) ? '' : ` (${formatLocation(r.location)})`}`);
      const folders = [...new Set(sorted.flatMap((r) => (r.referrer === 'Kustomization' ? generators.flatMap((g) => g.folderOf(r.path ?? '')) : [])))];
      const todo = [...new Set(sorted.map((r) => r.referrer))].map((k) => (row?.todo[k] || `refer to a ${FOLLOWED_SOURCES[k].join(' or ')} instead`).replace('{folders}', folders.length > 0 ? ` (${folders.join(', ')})` : ''));
      out.push({
        severity: 'warning',
        code: 'flux-source-unfollowed',
        message:
          `${key.kind} ${key.namespace ? `${key.namespace}/` : ''}${key.name} is not followed: ${why}${made}; ` +
          `not imported: ${referrers.join(', ')}. To preview ${sorted.length === 1 ? 'it' : 'them'}: ${todo.join('; ')}`,
        location: at,
        resource: key,
      });
    }
    return out;
  }
}

interface Generator {
  readonly name: string;
  readonly location: SourceLocation;
  /** The repository folder an artifact path ("./staging") was copied from, when the generator copies a folder of a GitRepository. */
  folderOf(path: string): string[];
}

/** The ArtifactGenerators (source.extensions.fluxcd.io) among the objects that make the ExternalArtifact `key`. */
function artifactGenerators(objects: readonly GitOpsObject[], key: ResourceKey): Generator[] {
  const found: Generator[] = [];
  for (const { manifest: m, source } of objects) {
    if (!isRecord(m) || m.kind !== 'ArtifactGenerator' || typeof m.apiVersion !== 'string' || parseApiVersion(m.apiVersion).group !== ARTIFACT_GENERATOR_GROUP) continue;
    const meta = isRecord(m.metadata) ? m.metadata : {};
    if ((meta.namespace ?? '') !== (key.namespace ?? '') || typeof meta.name !== 'string' || !isRecord(m.spec)) continue;
    const gitAliases = new Set((Array.isArray(m.spec.sources) ? m.spec.sources : []).filter((s) => isRecord(s) && s.kind === 'GitRepository' && typeof s.alias === 'string').map((s) => (s as { alias: string }).alias));
    const artifact = (Array.isArray(m.spec.artifacts) ? m.spec.artifacts : []).find((a) => isRecord(a) && a.name === key.name);
    if (!isRecord(artifact)) continue;
    // "@monorepo/apps/staging/**" copied to "@artifact/staging/": ./staging of the artifact is apps/staging of the repository.
    const copies = (Array.isArray(artifact.copy) ? artifact.copy : []).flatMap((c) => {
      if (!isRecord(c) || typeof c.from !== 'string' || typeof c.to !== 'string') return [];
      const from = /^@([^/]+)\/(.*?)\/?\*\*$/.exec(c.from);
      const to = /^@artifact\/?(.*?)\/?$/.exec(c.to);
      return from && to && gitAliases.has(from[1]!) ? [{ from: from[2]!, to: to[1]! }] : [];
    });
    found.push({
      name: `${key.namespace ? `${key.namespace}/` : ''}${meta.name}`,
      location: source,
      folderOf: (path) => {
        const p = path.replace(/^\.\//, '').replace(/\/+$/, '');
        return copies.flatMap((c) => (c.to === '' ? [[c.from, p].filter(Boolean).join('/')] : p === c.to || p.startsWith(`${c.to}/`) ? [[c.from, p.slice(c.to.length + 1)].filter(Boolean).join('/')] : []));
      },
    });
  }
  return found;
}
