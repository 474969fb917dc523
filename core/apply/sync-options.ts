/**
 * How apply sends one change, by the Argo CD sync options the plan wrote on it (Change.syncOptions,
 * core/plan/sync-options.ts): apply never reads them from the app again.
 * - Validate=false: fieldValidation=Ignore, and fields the kind's schema does not declare left out
 *   (server-side apply refuses them whatever the validation);
 * - Replace=true on an update: the whole object with an update (PUT, as kubectl replace),
 *   guarded by the resourceVersion the plan saw;
 * - Force=true on a replace: the old object is deleted at once (grace period 0, background);
 * - PrunePropagationPolicy on a prune: that propagation policy (default background).
 */
import type { ApplyOptions, DeleteOptions } from '../kube/client.js';
import type { KubeObject, PropagationPolicy } from '../kube/types.js';
import type { JsonObject } from '../plan/json.js';
import { sendLeniently } from '../plan/sync-options.js';
import type { Change } from '../plan/types.js';
import type { ClusterPort } from './cluster-port.js';

const has = (change: Change, option: string): boolean => change.syncOptions?.includes(option) ?? false;
/** The change's options as SyncOptions (name → value). */
const hasOptions = (change: Change): Record<string, string> =>
  Object.fromEntries((change.syncOptions ?? []).map((o) => (o.includes('=') ? [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)] : [o, ''])));

/** Sends a create, update or the create of a replace: server-side apply, or an update (PUT) for Replace=true. */
export function sendObject(cluster: ClusterPort, manifest: KubeObject, change: Change, opts: ApplyOptions): Promise<KubeObject> {
  const fieldValidation = has(change, 'Validate=false') ? 'Ignore' : (opts.fieldValidation ?? 'Strict');
  if (change.action === 'update' && has(change, 'Replace=true')) {
    const whole = { ...manifest, metadata: { ...manifest.metadata, ...(change.liveResourceVersion !== undefined && { resourceVersion: change.liveResourceVersion }) } };
    return cluster.update(whole, { fieldManager: opts.fieldManager, fieldValidation });
  }
  // Validate=false: fields the kind's schema does not declare are left out, as the plan's dry-run left them out.
  return sendLeniently((m) => cluster.apply(m as KubeObject, { ...opts, fieldValidation }), manifest as JsonObject, hasOptions(change));
}

/** How a replace deletes the old object: with its dependents first, or at once with Force=true. */
export function replaceDeleteOptions(change: Change): DeleteOptions {
  return has(change, 'Force=true') ? { propagationPolicy: 'Background', gracePeriodSeconds: 0 } : { propagationPolicy: 'Foreground' };
}

const POLICIES: Readonly<Record<string, PropagationPolicy>> = { foreground: 'Foreground', background: 'Background', orphan: 'Orphan' };

/** A prune's propagation policy: PrunePropagationPolicy=… when the app sets it, else background. */
export function prunePropagation(change: Change): PropagationPolicy {
  const option = change.syncOptions?.find((o) => o.startsWith('PrunePropagationPolicy='));
  return (option && POLICIES[option.slice('PrunePropagationPolicy='.length)]) || 'Background';
}
