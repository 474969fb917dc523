/**
 * What Slipway sends for a desired object: the rendered manifest with its namespace settled and
 * its ApplySet membership label. Plan and apply both call this, so they send the same bytes.
 */
import type { Manifest } from '../model/desired.js';
import { APPLYSET_PART_OF_LABEL } from '../model/applyset.js';
import type { ResourceKey } from '../model/resource.js';

export const FIELD_MANAGER = 'slipway';

export interface PrepareOptions {
  /** The ApplySet id every member is labelled with; undefined for hooks, which are no members. */
  readonly applySetId: string | undefined;
  /** Whether the kind is namespaced (from discovery); undefined when the cluster does not serve it yet (CRD in the same plan). */
  readonly namespaced: boolean | undefined;
  /** Namespace for namespaced objects that name none. */
  readonly defaultNamespace: string;
}

export interface Prepared {
  readonly manifest: Manifest;
  readonly key: ResourceKey;
  /** Set when the manifest named a namespace for a cluster-scoped kind (it is dropped, as kubectl does). */
  readonly droppedNamespace?: string;
}

export function prepareDesired(manifest: Manifest, key: ResourceKey, opts: PrepareOptions): Prepared {
  const copy = structuredClone(manifest);
  const meta = copy.metadata;
  if (opts.applySetId !== undefined) meta.labels = { ...((meta.labels as Record<string, string> | undefined) ?? {}), [APPLYSET_PART_OF_LABEL]: opts.applySetId };
  let droppedNamespace: string | undefined;
  if (opts.namespaced === false && meta.namespace !== undefined) {
    droppedNamespace = meta.namespace;
    delete meta.namespace;
  } else if (opts.namespaced !== false && meta.namespace === undefined) {
    meta.namespace = opts.defaultNamespace;
  }
  const { namespace: _ns, ...rest } = key;
  const finalKey: ResourceKey = meta.namespace ? { ...rest, namespace: meta.namespace } : rest;
  return { manifest: copy, key: finalKey, ...(droppedNamespace !== undefined && { droppedNamespace }) };
}
