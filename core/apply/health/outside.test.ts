/**
 * The states that wait for something outside the app (OUTSIDE_WAITS), as a table: which health
 * results name each cause, and that each row can end its wait before its kind's timeout.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth, OUTSIDE_CAUSES, OUTSIDE_WAITS, outsideWaitOf, waitTimeoutSeconds, type OutsideCause } from './assess.js';

const lb = (status: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'frontend-external', namespace: 'shop' }, spec: { type: 'LoadBalancer', clusterIP: '10.96.0.7' }, status });
const claim = (spec: Record<string, unknown>, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'shop', annotations },
  spec,
  status: { phase: 'Pending' },
});
const ingress: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { rules: [] }, status: {} };

describe('OUTSIDE_WAITS', () => {
  it('has one row per cause, each settling before its kind times out, with a one-line why', () => {
    expect(OUTSIDE_WAITS.map((w) => w.cause).sort()).toEqual([...OUTSIDE_CAUSES].sort());
    const kindOf: Record<OutsideCause, { group: string; kind: string }> = {
      'load-balancer': { group: '', kind: 'Service' },
      'volume-provisioner': { group: '', kind: 'PersistentVolumeClaim' },
      'persistent-volume': { group: '', kind: 'PersistentVolumeClaim' },
    };
    for (const w of OUTSIDE_WAITS) {
      expect(w.settleSeconds, w.cause).toBeGreaterThan(0);
      expect(w.settleSeconds, w.cause).toBeLessThan(waitTimeoutSeconds(kindOf[w.cause], 'healthy'));
      expect(w.why, w.cause).not.toMatch(/\n/);
    }
    expect(outsideWaitOf('load-balancer')).toMatchObject({ settleSeconds: 30, noAnswer: 'no load-balancer controller answered' });
  });

  it.each<[string, KubeObject, OutsideCause | undefined]>([
    ['a LoadBalancer Service without an address', lb(), 'load-balancer'],
    ['a LoadBalancer Service with an address', lb({ loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } }), undefined],
    ['a claim waiting for its provisioner', claim({ storageClassName: 'gp3' }, { 'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com' }), 'volume-provisioner'],
    ['a claim without a class, waiting for a PersistentVolume', claim({}), 'persistent-volume'],
    // Decided as healthy, so never waited on: an Ingress without an address, a claim waiting for its first Pod.
    ['an Ingress without an address', ingress, undefined],
    ['a claim of a WaitForFirstConsumer class', claim({ storageClassName: 'local-path' }), undefined],
  ])('%s → %s', (_case, obj, cause) => {
    const health = assessHealth(obj);
    expect(health.waitsOn).toBe(cause);
    if (cause) expect(health.status).toBe('progressing');
  });
});
