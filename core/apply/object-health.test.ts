/** What an apply view polls after a run ended progressing: each key's health now, by the per-kind rules. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/types.js';
import { keyOfObject, type ResourceKey } from '../model/resource.js';
import { readObjectHealth } from './object-health.js';
import { FakeCluster } from './testing/fake-cluster.js';

const lb = (status: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'frontend-external', namespace: 'shop' }, spec: { type: 'LoadBalancer' }, status });

describe('readObjectHealth', () => {
  it('reports each key in order: still progressing, healthy once the address came, missing when gone', async () => {
    const fake = new FakeCluster();
    fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const service = fake.seed(lb({}));
    const key = keyOfObject(service);
    const gone: ResourceKey = { ...key, name: 'admin-external' };
    expect(await readObjectHealth(fake, [key, gone])).toEqual([
      { key, status: 'progressing', message: 'waiting for the load balancer to get an address' },
      { key: gone, status: 'missing', message: 'not found' },
    ]);
    fake.touch(key, (o) => void Object.assign(o, { status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } } }));
    expect(await readObjectHealth(fake, [key])).toEqual([{ key, status: 'healthy', message: 'load balancer at 203.0.113.10' }]);
  });
});
