/**
 * After an apply that took over another ApplySet (Slipway 0.1's shared `slipway-<app>` parent, or
 * one adopted with --adopt): the old parent goes once none of its members is left, as kubectl
 * leaves no empty set behind; while some remain (prune off), it records which app took it over,
 * so the next plan keeps treating them as that app's.
 */
import { KubeError } from '../kube/errors.js';
import { withRetry } from '../kube/retry.js';
import { APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_NAMESPACES_ANNOTATION, APPLYSET_PART_OF_LABEL, ORIGIN_ANNOTATIONS, parseGroupKinds, type ApplySetParent } from '../model/applyset.js';
import { FIELD_MANAGER } from '../plan/prepare.js';
import type { ClusterPort } from './cluster-port.js';

export async function retireAdopted(client: ClusterPort, parent: ApplySetParent, id: string, adoptedBy: string): Promise<void> {
  const key = { group: '', version: 'v1', kind: 'Secret', namespace: parent.namespace, name: parent.name };
  const current = await client.get(key);
  if (!current) return;
  const annotations = (current.metadata.annotations ?? {}) as Record<string, string>;
  const namespaces = new Set([parent.namespace, ...(annotations[APPLYSET_NAMESPACES_ANNOTATION] ?? '').split(',').filter(Boolean)]);
  let left = 0;
  for (const gk of parseGroupKinds(annotations[APPLYSET_GROUP_KINDS_ANNOTATION])) {
    left += (await client.listLabelled(gk, { labelSelector: `${APPLYSET_PART_OF_LABEL}=${id}`, namespaces })).length;
  }
  if (left === 0) {
    await withRetry(() => client.delete(key, { preconditions: { ...(current.metadata.uid && { uid: current.metadata.uid }) } })).catch((e: unknown) => {
      if (!(e instanceof KubeError && (e.code === 'not-found' || e.code === 'conflict'))) throw e;
    });
    return;
  }
  await withRetry(() =>
    client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: parent.name, namespace: parent.namespace, annotations: { [ORIGIN_ANNOTATIONS.adoptedBy]: adoptedBy } } }, { fieldManager: FIELD_MANAGER, force: true }),
  );
}
