/** Flux Kustomizations as apps (the table in ../gitops.ts). */
import { z } from 'zod';
import type { ResourceKey } from '../../model/resource.js';
import { parseApiVersion } from '../../model/resource.js';
import type { App } from '../apps.js';
import { DEFAULT_APP_OPTIONS } from '../apps.js';
import { normalizeRepoPath } from '../paths.js';
import { isRecord } from '../util.js';
import type { Reporter } from './common.js';
import { appNameOf, type Candidate, type GitOpsObject, type RepoFilter } from './common.js';
import { FLUX_SOURCE_GROUP, UnfollowedSources } from './flux-sources.js';

export const FLUX_KUSTOMIZE_API_VERSIONS: readonly string[] = ['kustomize.toolkit.fluxcd.io/v1', 'kustomize.toolkit.fluxcd.io/v1beta2'];
export const fluxKustomizationSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
  spec: z.looseObject({
    path: z.string().optional(),
    prune: z.boolean().optional(),
    targetNamespace: z.string().optional(),
    sourceRef: z.looseObject({ kind: z.string(), name: z.string(), namespace: z.string().optional() }).optional(),
  }),
});
export type FluxKustomization = z.output<typeof fluxKustomizationSchema>;

const fluxGitRepositorySchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }),
  spec: z.looseObject({
    url: z.string(),
    ref: z
      .looseObject({ branch: z.string().optional(), tag: z.string().optional(), semver: z.string().optional(), name: z.string().optional(), commit: z.string().optional() })
      .optional(),
  }),
});
export type FluxGitRepository = z.output<typeof fluxGitRepositorySchema>;

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

export function importFluxKustomization(
  kustomization: FluxKustomization,
  object: GitOpsObject,
  ctx: { report: Reporter; resource: ResourceKey; repos: RepoFilter; gitRepositories: readonly FluxGitRepository[]; unfollowed: UnfollowedSources },
): Candidate[] {
  const { report, repos } = ctx;
  const spec = kustomization.spec;
  const namespace = kustomization.metadata.namespace ?? '';
  let targetRevision: string | undefined;
  if (spec.sourceRef) {
    const ref = spec.sourceRef;
    const refNamespace = ref.namespace ?? namespace;
    if (!UnfollowedSources.follows('Kustomization', ref.kind)) {
      // One warning per source, however many Kustomizations refer to it (./flux-sources.ts).
      ctx.unfollowed.add({ kind: ref.kind, namespace: refNamespace, name: ref.name }, { referrer: 'Kustomization', resource: ctx.resource, location: object.source, ...(spec.path !== undefined && { path: spec.path }) });
      return [];
    }
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

export function collectGitRepositories(objects: readonly GitOpsObject[]): FluxGitRepository[] {
  const found: FluxGitRepository[] = [];
  for (const { manifest } of objects) {
    if (!isRecord(manifest) || manifest.kind !== 'GitRepository' || typeof manifest.apiVersion !== 'string') continue;
    if (parseApiVersion(manifest.apiVersion).group !== FLUX_SOURCE_GROUP) continue;
    const parsed = fluxGitRepositorySchema.safeParse(manifest);
    if (parsed.success) found.push(parsed.data);
  }
  return found;
}
