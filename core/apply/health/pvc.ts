/**
 * PersistentVolumeClaim (v1). gitops-engine `health_pvc.go` (Bound healthy, Pending progressing,
 * Lost degraded) with one deliberate change, decided here:
 *
 * A Pending claim whose StorageClass binds on first consumer (volumeBindingMode
 * WaitForFirstConsumer) is HEALTHY, with a message saying so. It binds only when a Pod that uses
 * it is scheduled, and that Pod comes later (claims are ordered before workloads), so waiting
 * for Bound would deadlock the apply until it times out (argoproj/argo-cd#29201; Pulumi treats
 * such claims as ready once Pending, pulumi/pulumi-kubernetes#3130). The workload's own health
 * then covers whether the volume really arrives.
 *
 * The binding mode comes from `ctx.storageClassBindingModes` when the executor provides it.
 * Without it, the object decides: the PV controller sets `volume.kubernetes.io/storage-provisioner`
 * as soon as it starts provisioning an Immediate claim, and the scheduler sets
 * `volume.kubernetes.io/selected-node` once a consumer is placed; a Pending claim with a class and
 * neither annotation is waiting for a consumer. A claim with no class (static binding) waits for a
 * matching PersistentVolume: progressing.
 *
 * Every Pending claim waits for something outside the app (a provisioner, or an administrator's
 * PersistentVolume), so it says so (`waitsOn`): the apply gives up on it after assess.ts
 * OUTSIDE_WAITS' settle time, and the Pods that mount it show whether the volume came.
 */
import type { KubeObject } from '../../kube/types.js';
import { str } from './fields.js';
import type { HealthContext, HealthResult } from './types.js';
import { degraded, healthy, progressing, unknown } from './types.js';

const PROVISIONER_ANNOTATIONS = ['volume.kubernetes.io/storage-provisioner', 'volume.beta.kubernetes.io/storage-provisioner'] as const;
const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';

export function pvcHealth(obj: KubeObject, ctx: HealthContext): HealthResult {
  const phase = str(obj, 'status', 'phase');
  const volume = str(obj, 'spec', 'volumeName');
  if (phase === 'Bound') return healthy(`Bound to PersistentVolume ${volume ?? '?'}${str(obj, 'status', 'capacity', 'storage') ? ` (${str(obj, 'status', 'capacity', 'storage')})` : ''}`);
  if (phase === 'Lost') return degraded(`Lost: its PersistentVolume${volume ? ` ${volume}` : ''} no longer exists`);
  if (phase !== 'Pending') return unknown(phase ? `unexpected phase ${phase}` : 'no phase reported');
  const storageClass = str(obj, 'spec', 'storageClassName');
  if (!storageClass) return progressing('Pending: waiting for a matching PersistentVolume (no StorageClass)', 'persistent-volume');
  const selectedNode = str(obj, 'metadata', 'annotations', SELECTED_NODE_ANNOTATION);
  if (selectedNode) return progressing(`Pending: provisioning a volume for node ${selectedNode} (StorageClass ${storageClass})`, 'volume-provisioner');
  const mode = ctx.storageClassBindingModes?.[storageClass];
  const provisioner = PROVISIONER_ANNOTATIONS.map((a) => str(obj, 'metadata', 'annotations', a)).find(Boolean);
  if (mode === 'WaitForFirstConsumer' || (mode === undefined && !provisioner)) {
    return healthy(`Pending until a Pod uses it: StorageClass ${storageClass} binds on first consumer`);
  }
  return progressing(`Pending: waiting for ${provisioner ?? `StorageClass ${storageClass}`} to provision a volume`, 'volume-provisioner');
}
