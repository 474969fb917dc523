/**
 * Live trees, events and a log for component tests of the Live tab, each parsed with the
 * contract's own schema (a fixture that drifts from the contract fails every test using it).
 *
 * WEB_TREE: app web in shop on staging, read at 10:00:00:
 *   Deployment web (progressing) → ReplicaSet web-7d4 → Pods web-7d4-abcde (healthy), web-7d4-fghij
 *   (degraded: Pending, Insufficient cpu); old ReplicaSets web-5c9 and web-3a1; Service web →
 *   EndpointSlice web-x7k2p; ConfigMap web-config; ConfigMap web-flags gone (the last apply left it).
 *   Events: a Warning FailedScheduling about the Pending Pod (newest), two Normal ones, 3 more.
 */
import { commands, type CommandResult, type LiveTreeNode, type LiveTreeResult } from '../../../core/api/contract.js';

export const READ_AT = '2026-11-20T10:00:00.000Z';

const key = (kind: string, name: string, group = '') => ({ group, version: 'v1', kind, name, namespace: 'shop' });

export function node(kind: string, name: string, extra: Partial<LiveTreeNode> = {}, group = ''): LiveTreeNode {
  return { id: `uid-${kind.toLowerCase()}-${name}`, key: key(kind, name, group), uid: `uid-${kind.toLowerCase()}-${name}`, health: 'healthy', message: '', createdAt: '2026-11-20T09:00:00Z', children: [], ...extra };
}

export const POD_OK = node('Pod', 'web-7d4-abcde', { via: 'owner', phase: 'Running', message: 'Running, 1/1 ready', createdAt: '2026-11-20T09:58:00Z' });
export const POD_PENDING = node('Pod', 'web-7d4-fghij', {
  via: 'owner',
  phase: 'Pending',
  health: 'degraded',
  message: 'Pending',
  reason: '0/1 nodes are available: 1 Insufficient cpu (FailedScheduling)',
  createdAt: '2026-11-20T09:59:15Z',
});

export const WEB_ROOTS: LiveTreeNode[] = [
  node(
    'Deployment',
    'web',
    {
      health: 'progressing',
      message: '1 of 2 replicas available',
      reason: 'Pod web-7d4-fghij: 0/1 nodes are available: 1 Insufficient cpu (FailedScheduling)',
      children: [
        node('ReplicaSet', 'web-7d4', { via: 'owner', health: 'progressing', message: '1 of 2 replicas ready', children: [POD_OK, POD_PENDING] }, 'apps'),
        node('ReplicaSet', 'web-5c9', { via: 'owner', old: true, message: '0 replicas' }, 'apps'),
        node('ReplicaSet', 'web-3a1', { via: 'owner', old: true, message: '0 replicas' }, 'apps'),
      ],
    },
    'apps',
  ),
  node('Service', 'web', { message: 'ClusterIP', children: [node('EndpointSlice', 'web-x7k2p', { via: 'service-name', message: '1 endpoint ready' }, 'discovery.k8s.io')] }),
  node('ConfigMap', 'web-config'),
  { id: 'key:v1/ConfigMap/shop/web-flags', key: key('ConfigMap', 'web-flags'), health: 'missing', message: 'not found', gone: true, children: [] },
];

export function liveTree(extra: Partial<LiveTreeResult> = {}): LiveTreeResult {
  return commands.liveTree.result.parse({
    app: { name: 'web', path: 'apps/web', namespace: 'shop' },
    context: 'staging',
    server: 'https://staging.example.com',
    applySet: { parent: 'Secret/shop/applyset-web', id: 'applyset-abc-v1', found: true },
    health: 'degraded',
    counts: { healthy: 6, progressing: 2, degraded: 1, missing: 1, unknown: 0 },
    roots: WEB_ROOTS,
    events: [
      { id: 'ev-3', type: 'Warning', reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient cpu.', count: 4, firstSeen: '2026-11-20T09:59:15Z', lastSeen: '2026-11-20T09:59:50Z', object: { kind: 'Pod', namespace: 'shop', name: 'web-7d4-fghij', uid: POD_PENDING.uid }, source: 'default-scheduler' },
      { id: 'ev-2', type: 'Normal', reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-7d4 from 1 to 2', count: 1, lastSeen: '2026-11-20T09:59:14Z', object: { kind: 'Deployment', namespace: 'shop', name: 'web', uid: 'uid-deployment-web' }, source: 'deployment-controller' },
      { id: 'ev-1', type: 'Normal', reason: 'Started', message: 'Started container web', count: 1, lastSeen: '2026-11-20T09:58:05Z', object: { kind: 'Pod', namespace: 'shop', name: 'web-7d4-abcde', uid: POD_OK.uid }, source: 'kubelet' },
    ],
    moreEvents: 3,
    gaps: [],
    readAt: READ_AT,
    ...extra,
  });
}

/** What watchLiveTree answers: the tree, under the stream id asked for. */
export const watchAnswer = (streamId: string, tree: LiveTreeResult = liveTree()): CommandResult<'watchLiveTree'> => commands.watchLiveTree.result.parse({ ...tree, streamId });

/** What startLogs answers for a Pod of web: containers web and a sidecar, an init container. */
export const logsAnswer = (streamId: string, container = 'web'): CommandResult<'startLogs'> =>
  commands.startLogs.result.parse({ streamId, container, containers: ['web', 'proxy'], initContainers: ['migrate'], defaulted: container === 'web' });
