/**
 * How much the local test cluster holds (issue 21: benchmarks of 10,000 objects), in one place for
 * cluster.ts and fault-apiserver.ts:
 *
 * - Services: the Service IP range. Each Service of type ClusterIP takes an address from it, so a
 *   /24 failed the 255th ("failed to allocate a serviceIP: range is full"); a /16 holds 65,534.
 * - Pods: kwok's fake Nodes. A kubelet (and so kwok's Node) declares at most 110 Pods, and the
 *   scheduler keeps to it: one Node left the Pods of a few hundred Deployments Pending ("Too many
 *   pods") and every apply waited for them until its timeout. Nodes are cheap for kwok (an object
 *   and a heartbeat every 20–45 s), so the cluster has as many as the corpora's Pods need.
 */

/** The Service IP range of every API server of the test cluster (10.0.0.1 is the `kubernetes` Service). */
export const SERVICE_CLUSTER_IP_RANGE = '10.0.0.0/16';

/** kwok's Nodes: 40 × 110 Pods = 4,400 Pods, for corpora with a few thousand. */
export const KWOK_NODE_COUNT = 40;

/** Pods per Node, as a kubelet's default --max-pods. */
export const PODS_PER_NODE = 110;

/** How many ClusterIP Services a range holds: its addresses less the network and broadcast ones. */
export function serviceAddresses(cidr: string): number {
  const m = /^(\d{1,3}\.){3}\d{1,3}\/(\d{1,2})$/.exec(cidr);
  if (!m) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  return 2 ** (32 - Number(m[2])) - 2;
}

/** The name of kwok's Node `i`; the first is the one the cluster always had. */
export function kwokNodeName(i: number): string {
  return `kwok-node-${i}`;
}

/** The annotation kwok is started to manage Nodes by (`--manage-nodes-with-annotation-selector`). */
export const KWOK_NODE_ANNOTATION = { key: 'kwok.x-k8s.io/node', value: 'fake' } as const;

interface KwokNode {
  readonly apiVersion: 'v1';
  readonly kind: 'Node';
  readonly metadata: { readonly name: string; readonly annotations: Readonly<Record<string, string>>; readonly labels: Readonly<Record<string, string>> };
  readonly status: { readonly allocatable: Readonly<Record<string, string>>; readonly capacity: Readonly<Record<string, string>> };
}

/** The Nodes kwok pretends to run, to create through the API server. */
export function kwokNodes(count = KWOK_NODE_COUNT): KwokNode[] {
  return Array.from({ length: count }, (_, i) => {
    const name = kwokNodeName(i);
    const resources = { cpu: '32', memory: '256Gi', pods: String(PODS_PER_NODE) };
    return {
      apiVersion: 'v1' as const,
      kind: 'Node' as const,
      metadata: {
        name,
        annotations: { [KWOK_NODE_ANNOTATION.key]: KWOK_NODE_ANNOTATION.value, 'node.alpha.kubernetes.io/ttl': '0' },
        labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
      },
      status: { allocatable: resources, capacity: resources },
    };
  });
}

/** What a cluster was started with, kept in its state file: a running cluster with other values holds less than the tests expect. */
export function capacityKey(): string {
  return `services=${SERVICE_CLUSTER_IP_RANGE} nodes=${KWOK_NODE_COUNT}x${PODS_PER_NODE}`;
}
