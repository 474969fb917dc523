/**
 * The local test cluster holds the benchmarks' corpora (issue 21): 10,000 objects' worth of
 * Services in its Service IP range, and Nodes for a few thousand Pods. The values take effect when
 * the cluster is next started (`npm run cluster -- down`, `up`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capacityKey, KWOK_NODE_ANNOTATION, KWOK_NODE_COUNT, kwokNodes, PODS_PER_NODE, SERVICE_CLUSTER_IP_RANGE, serviceAddresses } from '../cluster/capacity.js';

const source = (file: string): string => readFileSync(new URL(`../cluster/${file}`, import.meta.url), 'utf8');

describe('serviceAddresses', () => {
  it.each([
    ['10.0.0.0/24', 254],
    ['10.0.0.0/16', 65_534],
    ['10.96.0.0/12', 1_048_574],
  ])('%s holds %i Services', (cidr, n) => {
    expect(serviceAddresses(cidr)).toBe(n);
  });

  it.each(['10.0.0.0', 'fd00::/108', '10.0.0.0/x'])('refuses %j', (cidr) => {
    expect(() => serviceAddresses(cidr)).toThrow(/not an IPv4 CIDR/);
  });
});

describe('the test cluster', () => {
  it('has a Service IP range for 10,000 Services, within what kube-apiserver accepts (/12 at most)', () => {
    expect(serviceAddresses(SERVICE_CLUSTER_IP_RANGE)).toBeGreaterThanOrEqual(10_000);
    expect(Number(SERVICE_CLUSTER_IP_RANGE.split('/')[1])).toBeGreaterThanOrEqual(12);
  });

  it.each(['cluster.ts', 'fault-apiserver.ts'])('%s starts its API servers with that range', (file) => {
    const flags = [...source(file).matchAll(/--service-cluster-ip-range=([^'`,\s]+)/g)].map((m) => m[1]);
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.every((f) => f === '${SERVICE_CLUSTER_IP_RANGE}')).toBe(true);
  });

  it('has kwok Nodes for a few thousand Pods, each one kwok manages', () => {
    const nodes = kwokNodes();
    expect(nodes).toHaveLength(KWOK_NODE_COUNT);
    expect(new Set(nodes.map((n) => n.metadata.name)).size).toBe(KWOK_NODE_COUNT);
    expect(nodes[0]!.metadata.name).toBe('kwok-node-0');
    expect(nodes.reduce((pods, n) => pods + Number(n.status.allocatable.pods), 0)).toBeGreaterThanOrEqual(4000);
    for (const n of nodes) {
      expect(n.metadata.annotations[KWOK_NODE_ANNOTATION.key]).toBe(KWOK_NODE_ANNOTATION.value);
      expect(n.status).toEqual({ allocatable: n.status.capacity, capacity: { cpu: '32', memory: '256Gi', pods: String(PODS_PER_NODE) } });
    }
  });

  it('starts kwok managing the Nodes by that annotation, and records the capacity in its state', () => {
    expect(source('cluster.ts')).toContain('`--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION.key}=${KWOK_NODE_ANNOTATION.value}`');
    expect(source('cluster.ts')).toContain('capacity: capacityKey()');
    expect(capacityKey()).toBe(`services=${SERVICE_CLUSTER_IP_RANGE} nodes=${KWOK_NODE_COUNT}x${PODS_PER_NODE}`);
  });
});
