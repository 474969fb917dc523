/** Drift reports for component tests, checked against the contract's schema. */
import { driftReportSchema, type DriftReportInfo, type ObjectDriftInfo } from '../../../core/api/contract.js';

export const driftedObject = (kind: string, name: string, status: ObjectDriftInfo['status'], paths: string[] = [], namespace = 'shop'): ObjectDriftInfo => ({
  key: { group: kind === 'Deployment' ? 'apps' : '', version: 'v1', kind, namespace, name },
  status,
  paths,
  applied: { runId: 'run-0001', at: '2026-01-01T12:00:00Z' },
  since: '2026-01-01T12:05:00Z',
});

/** A watching report of the app "shop" on "kind-dev"; `phases`: one ConfigMap watch each. */
export function driftReport(objects: ObjectDriftInfo[], opts: { phases?: Array<'connecting' | 'synced' | 'reconnecting' | 'forbidden'>; pending?: number; state?: DriftReportInfo['state']; message?: string } = {}): DriftReportInfo {
  return driftReportSchema.parse({
    app: { name: 'shop', path: 'apps/shop' },
    context: 'kind-dev',
    server: 'https://127.0.0.1:6443',
    state: opts.state ?? 'watching',
    ...(opts.message !== undefined && { message: opts.message }),
    objects,
    drifted: objects.filter((o) => o.status === 'drifted' || o.status === 'deleted').length,
    pending: opts.pending ?? 0,
    watches: (opts.phases ?? ['synced']).map((phase, i) => ({
      key: `v1/configmaps@ns${i}`,
      group: '',
      kind: 'ConfigMap',
      namespace: `ns${i}`,
      phase,
      ...(phase === 'reconnecting' && { reason: 'connect ECONNREFUSED 127.0.0.1:6443' }),
      ...(phase === 'forbidden' && { reason: 'slipway-readonly may not watch configmaps in namespace ns0' }),
    })),
  });
}
