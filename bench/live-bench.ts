/**
 * The live tree of a 500-object app (issue 20: "live tree of a 500-object app drawn ≤ 500 ms"),
 * the engine's part:
 *   1. building the tree (core/watch/tree.ts with the apply's health and Pod rules) from 500
 *      objects held in memory — what a watcher does on every change;
 *   2. reading it from the local cluster and building it (liveTreeOfParent: the parent, one LIST
 *      per member kind, child kind and Events in the namespace) — what `slipway status` and the
 *      UI's liveTree command do — beside `kubectl get` of the same kinds as JSON.
 * The app: 100 Deployments (1 replica) and 100 Services, members of one ApplySet; their
 * controllers make 100 ReplicaSets, 100 Pods and 100 EndpointSlices (kwok runs the Pods).
 *
 *   npx tsx bench/live-bench.ts          (or: npm run bench -- live)
 */
import { loadavg } from 'node:os';
import { liveTreeOfParent, TREE_RULES } from '../core/engine/live-tree.js';
import { KubeClient } from '../core/kube/client.js';
import { discover } from '../core/kube/target.js';
import type { KubeObject } from '../core/kube/types.js';
import { APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_ID_LABEL, APPLYSET_PART_OF_LABEL, APPLYSET_TOOLING_ANNOTATION, applySetId, type ApplySetParent } from '../core/model/applyset.js';
import { buildLiveTree, snapshotOf } from '../core/watch/tree.js';
import { benchCluster } from './cluster-bench.js';
import { measure, speedup, type BenchRow, type BenchSection } from './report.js';

const log = (m: string): void => console.error(`[bench] live: ${m}`);
const UNITS = 100;
const TARGET_MS = 500;
const CONTEXT = 'slipway-admin';

/** 100 × (Deployment, its ReplicaSet, its Pod, a Service, its EndpointSlice) as the API server returns them, and an Event for each Pod. */
function syntheticApp(setId: string): KubeObject[] {
  const t = '2026-01-01T10:00:00Z';
  const member = { [APPLYSET_PART_OF_LABEL]: setId };
  return Array.from({ length: UNITS }, (_, i) => {
    const name = `web-${String(i).padStart(3, '0')}`;
    const owner = (kind: string, n: string, uid: string, apiVersion = 'apps/v1') => [{ apiVersion, kind, name: n, uid, controller: true }];
    return [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'bench', uid: `d-${i}`, generation: 1, creationTimestamp: t, labels: member }, spec: { replicas: 1, selector: { matchLabels: { app: name } } }, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: `${name}-5d6f7`, namespace: 'bench', uid: `rs-${i}`, generation: 1, creationTimestamp: t, annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: owner('Deployment', name, `d-${i}`) }, spec: { replicas: 1 }, status: { observedGeneration: 1, replicas: 1, readyReplicas: 1, availableReplicas: 1 } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${name}-5d6f7-abcde`, namespace: 'bench', uid: `p-${i}`, creationTimestamp: t, ownerReferences: owner('ReplicaSet', `${name}-5d6f7`, `rs-${i}`) }, spec: { nodeName: 'n' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'web', ready: true, state: { running: {} } }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'bench', uid: `s-${i}`, creationTimestamp: t, labels: member }, spec: { type: 'ClusterIP', clusterIP: `10.0.${i >> 8}.${i & 255}` } },
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${name}-x1y2z`, namespace: 'bench', uid: `e-${i}`, creationTimestamp: t, labels: { ...member, 'kubernetes.io/service-name': name }, ownerReferences: owner('Service', name, `s-${i}`, 'v1') }, endpoints: [{ addresses: ['10.1.0.1'], conditions: { ready: true } }] },
      { apiVersion: 'v1', kind: 'Event', metadata: { name: `${name}.1`, namespace: 'bench', uid: `ev-${i}` }, involvedObject: { kind: 'Pod', name: `${name}-5d6f7-abcde`, namespace: 'bench', uid: `p-${i}` }, type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned', lastTimestamp: t },
    ] as KubeObject[];
  }).flat();
}

const manifests = (ns: string, setId: string): string =>
  Array.from({ length: UNITS }, (_, i) => {
    const name = `web-${String(i).padStart(3, '0')}`;
    return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}, labels: {${APPLYSET_PART_OF_LABEL}: ${setId}}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: web, image: nginx:1.27.0, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}, labels: {${APPLYSET_PART_OF_LABEL}: ${setId}}}
spec: {selector: {app: ${name}}, ports: [{port: 80}]}
`;
  }).join('---\n');

export async function liveSection(opts: { runs?: number } = {}): Promise<BenchSection> {
  const runs = opts.runs ?? 21;
  const load = loadavg()[0]!.toFixed(1);
  const rows: BenchRow[] = [];

  // 1. The pure build, from 500 objects in memory.
  const snapshot = snapshotOf({ applySet: { parent: 'Secret/bench/slipway-bench', id: 'applyset-bench-v1', found: true }, objects: syntheticApp('applyset-bench-v1'), expected: [], gaps: [], readAt: '2026-01-01T12:00:00Z' });
  await measure(3, () => buildLiveTree(snapshot, TREE_RULES)); // warm
  const built = await measure(runs, () => buildLiveTree(snapshot, TREE_RULES));
  const tree = buildLiveTree(snapshot, TREE_RULES);
  const nodes = Object.values(tree.counts).reduce((a, b) => a + b, 0);
  log(`build: ${built.medianMs.toFixed(1)} ms for ${nodes} nodes`);
  rows.push({
    name: `build the live tree of a ${nodes}-object app from memory (what a watcher does on each change)`,
    ...built,
    target: { text: `≤ ${TARGET_MS} ms`, met: built.maxMs <= TARGET_MS },
    notes: `${runs} runs after 3 warm-ups: 100 Deployments, ReplicaSets, Pods, Services and EndpointSlices, 100 Events; health by the apply's per-kind rules, Pod reasons, Events matched by uid. Load average when the section started: ${load}.`,
  });

  // 2. Read from the local cluster and build, beside kubectl get of the same kinds.
  const c = await benchCluster();
  const ns = `bench-live-${Date.now().toString(36)}`;
  const parent: ApplySetParent = { group: '', kind: 'Secret', namespace: ns, name: 'slipway-bench-live' };
  const id = applySetId(parent);
  const client = new KubeClient(c.kubeconfig, CONTEXT);
  try {
    await c.kubectl(['create', 'namespace', ns]);
    await c.kubectl(['create', 'secret', 'generic', parent.name, '-n', ns]);
    await c.kubectl(['label', 'secret', parent.name, '-n', ns, `${APPLYSET_ID_LABEL}=${id}`]);
    await c.kubectl(['annotate', 'secret', parent.name, '-n', ns, `${APPLYSET_GROUP_KINDS_ANNOTATION}=Deployment.apps,Service`, `${APPLYSET_TOOLING_ANNOTATION}=slipway/bench`]);
    const file = `${process.env.TMPDIR ?? '/tmp'}/${ns}.yaml`;
    const { writeFileSync, rmSync } = await import('node:fs');
    writeFileSync(file, manifests(ns, id));
    await c.kubectl(['apply', '--server-side', '-f', file]);
    rmSync(file, { force: true });
    log(`waiting for ${UNITS} Deployments to become available`);
    await c.kubectl(['wait', '--for=condition=Available', 'deployment', '--all', '-n', ns, '--timeout=300s']);
    const discovery = await discover(client);
    const read = () => liveTreeOfParent({ client, discovery, parent, eventLimit: 1000 });
    const first = await read();
    const liveNodes = Object.values(first.counts).reduce((a, b) => a + b, 0);
    log(`read + build: ${liveNodes} nodes (${first.health}), ${first.events.length} events`);
    await read();
    const mine = await measure(7, read);
    const theirs = await measure(5, () => c.kubectl(['get', 'deployments,replicasets,pods,services,endpointslices,events', '-n', ns, '-o', 'json']));
    rows.push({
      name: `read a ${liveNodes}-object app from the local cluster and build its tree (slipway status, the UI's liveTree), engine running`,
      ...mine,
      comparison: { name: 'kubectl get deploy,rs,pods,svc,endpointslices,events -o json', ...theirs },
      ratio: speedup(mine.medianMs, theirs.medianMs),
      target: { text: `≤ ${TARGET_MS} ms`, met: mine.medianMs <= TARGET_MS },
      notes: `7 runs after 2 warm-ups, one client (discovery cached): the parent as metadata, members by label (2 kinds), ReplicaSets, Pods and EndpointSlices, and ${first.events.length} Events, each one LIST in the namespace, then the build. kubectl: 5 fresh processes (one LIST per kind, no tree, no health). Load average when the section started: ${load}.`,
    });
  } finally {
    await client.close();
    await c.kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']).catch((e: unknown) => log(`cleanup: ${String(e)}`));
  }

  return {
    title: 'Live tree',
    description: `The live tree of a ${UNITS * 5}-object app (issue 20: drawn ≤ ${TARGET_MS} ms), the engine's part: built from memory, as a watcher rebuilds it on each change; and read from the local cluster and built, as \`slipway status\` and the UI's liveTree command do, beside \`kubectl get\` of the same kinds. The app: ${UNITS} Deployments of one replica and ${UNITS} Services in one ApplySet, with the ReplicaSets, Pods (kwok) and EndpointSlices their controllers make.`,
    rows,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const section = await liveSection();
  const { markdownTable } = await import('./report.js');
  console.log(`\n## ${section.title}\n\n${markdownTable(section.rows)}\n`);
}
