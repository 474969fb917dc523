/**
 * Settling a desired object: its API resource, its namespace and its ApplySet membership label —
 * exactly what apply will send. Pure over discovery; plan and apply both call it, so they send
 * the same bytes.
 */
import type { ApiResource, Discovery } from '../kube/types.js';
import { resourceFor } from '../kube/discovery.js';
import type { DesiredObject, Manifest } from '../model/desired.js';
import { isPlainObject } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type { ResourceKey } from '../model/resource.js';
import type { RenderResult } from '../render/render.js';
import type { App } from '../source/apps.js';
import type { JsonObject } from './json.js';
import { prepareDesired } from './prepare.js';

const NAMESPACE = { group: '', version: 'v1', kind: 'Namespace' };

export function isNamespaceKey(key: ResourceKey, name: string): boolean {
  return key.group === '' && key.kind === 'Namespace' && key.name === name;
}

/**
 * The namespace an app with createNamespace needs, when it is missing. Like Argo CD's
 * CreateNamespace=true it is created, never owned: it carries no ApplySet label, so it is
 * never pruned with the app. Plan and apply both build it here, so they send the same bytes.
 * It carries the app's managedNamespaceMetadata (Argo CD's spec.syncPolicy.managedNamespaceMetadata).
 */
export function namespaceToCreate(namespace: string, discovery: Discovery, app: Pick<App, 'origin'> & { readonly options?: Pick<App['options'], 'managedNamespaceMetadata'> }): Settled {
  const key: ResourceKey = { ...NAMESPACE, name: namespace };
  const extra = app.options?.managedNamespaceMetadata;
  const manifest: Manifest = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace, ...(extra?.labels && { labels: { ...extra.labels } }), ...(extra?.annotations && { annotations: { ...extra.annotations } }) },
  };
  const resource = resourceFor(discovery, key);
  const file = app.origin.file ?? 'createNamespace';
  return { source: { key, manifest, source: { file, ...(app.origin.line !== undefined && { line: app.origin.line }) } }, key, manifest, ...(resource && { resource }), afterCrd: false, createOnly: true };
}

/**
 * Every desired object with its API resource, namespace and membership label settled: exactly
 * what apply will send. Plan and apply both call this.
 */
export function settleAll(render: Pick<RenderResult, 'objects'>, ctx: { discovery: Discovery; id: string | undefined; defaultNamespace: string; diagnostics: Diagnostic[] }): Settled[] {
  const crdsInPlan = render.objects.filter((o) => o.key.group === 'apiextensions.k8s.io' && o.key.kind === 'CustomResourceDefinition');
  return render.objects.map((o) => settle(o, { ...ctx, crdsInPlan }));
}

export interface Settled {
  readonly source: DesiredObject;
  readonly key: ResourceKey;
  readonly manifest: JsonObject;
  /** Undefined when the cluster does not serve the kind (yet). */
  readonly resource?: ApiResource;
  /** The kind's CRD is created by this plan. */
  readonly afterCrd: boolean;
  /** Created when missing and never owned (createNamespace): not an ApplySet member. */
  readonly createOnly?: true;
}

function settle(o: DesiredObject, ctx: { discovery: Discovery; id: string | undefined; defaultNamespace: string; crdsInPlan: readonly DesiredObject[]; diagnostics: Diagnostic[] }): Settled {
  const resource = resourceFor(ctx.discovery, o.key);
  const afterCrd = !resource && ctx.crdsInPlan.some((crd) => definesKind(crd.manifest, o.key));
  const namespaced = resource ? resource.namespaced : afterCrd ? crdScope(ctx.crdsInPlan, o.key) : undefined;
  const prepared = prepareDesired(o.manifest, o.key, { applySetId: ctx.id, namespaced, defaultNamespace: ctx.defaultNamespace });
  if (prepared.droppedNamespace !== undefined) {
    ctx.diagnostics.push({ severity: 'warning', code: 'namespace-ignored', message: `${o.key.kind} ${o.key.name} is cluster-scoped: its namespace ${prepared.droppedNamespace} is ignored`, location: o.source, resource: prepared.key });
  }
  return { source: o, key: prepared.key, manifest: prepared.manifest as JsonObject, ...(resource && { resource }), afterCrd };
}

function definesKind(crd: JsonObject, key: ResourceKey): boolean {
  const spec = isPlainObject(crd.spec) ? crd.spec : {};
  const names = isPlainObject(spec.names) ? spec.names : {};
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  return spec.group === key.group && names.kind === key.kind && versions.some((v) => isPlainObject(v) && v.name === key.version);
}

function crdScope(crds: readonly DesiredObject[], key: ResourceKey): boolean {
  const crd = crds.find((c) => definesKind(c.manifest, key));
  return !(crd && isPlainObject(crd.manifest.spec) && crd.manifest.spec.scope === 'Cluster');
}
