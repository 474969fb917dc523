/**
 * The live tree builder, table-driven: fixture objects as the API server returns them
 * (testdata/tree/*.yaml) in, the tree as an outline out — each owner relation, orphans and other
 * apps' objects left out, a member that is gone, Pod reasons, Events, read gaps — and the text view
 * of `slipway status` as golden files (testdata/tree/*.txt).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { expectGolden } from '../../test/support/golden.js';
import { TREE_RULES } from '../engine/live-tree.js';
import type { KubeObject } from '../kube/types.js';
import { applyWatchEvents, buildLiveTree, childKindsOf, snapshotOf, type LiveSnapshot, type LiveTree, type ReadGap, type TreeNode } from './tree.js';
import { renderTreeText } from './view-text.js';

const DATA = new URL('./testdata/tree/', import.meta.url);
const SET = { parent: 'Secret/shop/slipway-web-0123456789', id: 'applyset-test-v1', found: true };
const READ_AT = '2026-01-01T12:00:00Z';

function load(...names: string[]): KubeObject[] {
  return names.flatMap((name) =>
    parseAllDocuments(readFileSync(new URL(`${name}.yaml`, DATA), 'utf8'))
      .map((d) => d.toJS() as KubeObject | null)
      .filter((o): o is KubeObject => o !== null),
  );
}

function snapshot(names: string[], extra: Partial<Pick<LiveSnapshot, 'expected' | 'gaps'>> & { readonly without?: string } = {}): LiveSnapshot {
  const objects = load(...names).filter((o) => o.kind !== extra.without);
  return snapshotOf({ applySet: SET, objects, expected: extra.expected ?? [], gaps: extra.gaps ?? [], readAt: READ_AT });
}

/** "Kind/name health" per node, two spaces per level, with its marks. */
function outline(tree: LiveTree): string[] {
  const lines: string[] = [];
  const walk = (n: TreeNode, depth: number): void => {
    const marks = [n.via && n.via !== 'owner' ? `via ${n.via}` : '', n.old ? 'old' : '', n.gone ? 'gone' : '', n.unread ? `unread ${n.unread.join(',')}` : ''].filter(Boolean);
    lines.push(`${'  '.repeat(depth)}${n.key.kind}/${n.key.name} ${n.health}${marks.length > 0 ? ` [${marks.join(', ')}]` : ''}`);
    n.children.forEach((c) => walk(c, depth + 1));
  };
  tree.roots.forEach((r) => walk(r, 0));
  return lines;
}

describe('buildLiveTree', () => {
  it.each<[what: string, fixtures: string[], expected: string[]]>([
    [
      'Deployment → ReplicaSets (the old one, 0 replicas, marked) → Pods; an orphan Pod and another app’s Pod left out',
      ['deployment'],
      ['Deployment/web healthy', '  ReplicaSet/web-7c5b9 healthy', '    Pod/web-7c5b9-aaaaa healthy', '    Pod/web-7c5b9-bbbbb healthy', '  ReplicaSet/web-6f7d8 healthy [old]'],
    ],
    [
      'StatefulSet → Pods and its claims by volumeClaimTemplates naming (not another set’s claim, not a stray one)',
      ['statefulset'],
      ['StatefulSet/db healthy', '  PersistentVolumeClaim/data-db-0 healthy [via claim-template]', '  PersistentVolumeClaim/data-db-1 healthy [via claim-template]', '  Pod/db-0 healthy', '  Pod/db-1 healthy'],
    ],
    [
      'CronJob → Job → Pod, and a Job → its succeeded Pod',
      ['jobs'],
      ['CronJob/report healthy', '  Job/report-29000000 healthy', '    Pod/report-29000000-qwert healthy', 'Job/migrate healthy', '  Pod/migrate-asdfg healthy'],
    ],
    [
      'DaemonSet → Pod; Service → its EndpointSlice by the service-name label (not another Service’s)',
      ['daemonset-service'],
      ['DaemonSet/agent healthy', '  Pod/agent-x1y2z healthy', 'Service/web healthy', '  EndpointSlice/web-k8s7x healthy [via service-name]'],
    ],
    ['a Secret and a ConfigMap (another set’s ConfigMap is no member)', ['secret'], ['ConfigMap/settings healthy', 'Secret/db-password healthy']],
  ])('%s', (_what, fixtures, expected) => {
    expect(outline(buildLiveTree(snapshot(fixtures), TREE_RULES))).toEqual(expected);
  });

  it('shows a member the last apply left that is gone as missing, and the app as missing', () => {
    const tree = buildLiveTree(snapshot(['daemonset-service'], { expected: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, { group: '', version: 'v1', kind: 'Service', namespace: 'shop', name: 'web' }] }), TREE_RULES);
    expect(outline(tree)).toEqual(['DaemonSet/agent healthy', '  Pod/agent-x1y2z healthy', 'Deployment/web missing [gone]', 'Service/web healthy', '  EndpointSlice/web-k8s7x healthy [via service-name]']);
    expect(tree.health).toBe('missing');
    expect(tree.counts).toEqual({ healthy: 4, progressing: 0, degraded: 0, missing: 1, unknown: 0 });
  });

  it('is missing when the set has no members at all', () => {
    const tree = buildLiveTree(snapshotOf({ applySet: { ...SET, found: false }, objects: [], expected: [], gaps: [], readAt: READ_AT }), TREE_RULES);
    expect(tree).toMatchObject({ health: 'missing', roots: [], events: [], moreEvents: 0 });
  });

  it('says why a Pending Pod waits, and the workload above it, from its condition and the scheduler’s Event', () => {
    const tree = buildLiveTree(snapshot(['pending']), TREE_RULES);
    expect(tree.health).toBe('progressing');
    const dep = tree.roots[0]!;
    const pod = dep.children[0]!.children[0]!;
    expect(pod.key.name).toBe('big-5d6f7-ppppp');
    expect(pod.health).toBe('progressing');
    expect(pod.reason).toBe('0/1 nodes are available: 1 Insufficient cpu (FailedScheduling)');
    expect(dep.reason).toBe('Pod shop/big-5d6f7-ppppp Pending: 0/1 nodes are available: 1 Insufficient cpu (FailedScheduling)');
  });

  it('lists the Events of the tree’s objects newest first (both Event APIs), not other objects’ nor an earlier object’s of the same name, bounded', () => {
    const tree = buildLiveTree(snapshot(['pending']), TREE_RULES);
    expect(tree.events.map((e) => [e.reason, `${e.object.kind}/${e.object.name}`, e.count, e.source])).toEqual([
      ['FailedScheduling', 'Pod/big-5d6f7-ppppp', 3, 'default-scheduler'],
      ['SuccessfulCreate', 'ReplicaSet/big-5d6f7', 1, 'replicaset-controller'],
      ['ScalingReplicaSet', 'Deployment/big', 1, 'deployment-controller'],
    ]);
    expect(tree.events[1]?.message).toBe('Created pod: big-5d6f7-ppppp');
    const bounded = buildLiveTree(snapshot(['pending']), TREE_RULES, { eventLimit: 1 });
    expect(bounded.events.map((e) => e.reason)).toEqual(['FailedScheduling']);
    expect(bounded.moreEvents).toBe(2);
    expect(renderTreeText(buildLiveTree(snapshot(['pending']), TREE_RULES, { eventLimit: 0 }))).toContain('\nEvents: 3, none shown (--events).\n');
  });

  it('marks the nodes whose children could not be read, and counts an unreadable member kind as unknown', () => {
    const gaps: ReadGap[] = [
      { group: '', kind: 'Pod', namespace: 'shop', of: 'children', message: 'limited may not list pods in namespace shop' },
      { group: 'batch', kind: 'Job', namespace: 'shop', of: 'members', message: 'limited may not list jobs.batch in namespace shop' },
    ];
    const tree = buildLiveTree(snapshot(['deployment'], { gaps, without: 'Pod' }), TREE_RULES);
    expect(outline(tree)).toEqual(['Deployment/web healthy', '  ReplicaSet/web-7c5b9 healthy [unread Pod]', '  ReplicaSet/web-6f7d8 healthy [old, unread Pod]']);
    expect(tree.health).toBe('unknown');
    expect(tree.gaps).toEqual(gaps);
  });

  it('never carries a Secret’s data: not in the tree, its JSON or its text', () => {
    const tree = buildLiveTree(snapshot(['secret']), TREE_RULES);
    const all = `${JSON.stringify(tree)}\n${renderTreeText(tree)}`;
    expect(all).not.toContain('canary-tree-7f3a');
    expect(all).not.toContain('Y2FuYXJ5LXRyZWUtN2YzYQ==');
    expect(all).not.toMatch(/"data"|stringData|token/);
  });

  it('follows watch events: a Pod deleted, a new one added, the old ReplicaSet scaled up again', () => {
    const base = snapshot(['deployment']);
    const podA = load('deployment').find((o) => o.metadata.uid === 'pod-web-a')!;
    const oldRs = load('deployment').find((o) => o.metadata.uid === 'rs-web-old')!;
    const next = applyWatchEvents(
      base,
      [
        { type: 'DELETED', object: podA },
        { type: 'ADDED', object: { ...podA, metadata: { ...podA.metadata, name: 'web-7c5b9-ccccc', uid: 'pod-web-c' } } },
        { type: 'MODIFIED', object: { ...oldRs, spec: { replicas: 1 }, status: { observedGeneration: 3, replicas: 1 } } },
        { type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', resourceVersion: '99' } } },
      ],
      { at: '2026-01-01T12:00:05Z' },
    );
    expect(base.objects.size).toBe(load('deployment').length);
    expect(outline(buildLiveTree(next, TREE_RULES))).toEqual(['Deployment/web healthy', '  ReplicaSet/web-7c5b9 healthy', '    Pod/web-7c5b9-bbbbb healthy', '    Pod/web-7c5b9-ccccc healthy', '  ReplicaSet/web-6f7d8 progressing']);
    expect(next.readAt).toBe('2026-01-01T12:00:05Z');
  });

  it('reads the kinds the members can have children of, transitively', () => {
    expect(childKindsOf([{ group: 'apps', kind: 'Deployment' }, { group: '', kind: 'Service' }]).map((k) => k.kind)).toEqual(['ReplicaSet', 'EndpointSlice', 'Pod']);
    expect(childKindsOf([{ group: 'batch', kind: 'CronJob' }]).map((k) => k.kind)).toEqual(['Job', 'Pod']);
    expect(childKindsOf([{ group: '', kind: 'ConfigMap' }])).toEqual([]);
  });

  it('builds a 500-object app in well under the 500 ms budget', () => {
    const objects = Array.from({ length: 50 }, (_, i) => load('deployment').map((o) => ({ ...o, metadata: { ...o.metadata, name: `${o.metadata.name}-${i}`, uid: `${o.metadata.uid}-${i}`, ...(Array.isArray(o.metadata.ownerReferences) && { ownerReferences: (o.metadata.ownerReferences as { uid: string }[]).map((r) => ({ ...r, uid: `${r.uid}-${i}` })) }) } }))).flat();
    const snap = snapshotOf({ applySet: SET, objects, expected: [], gaps: [], readAt: READ_AT });
    const started = performance.now();
    const tree = buildLiveTree(snap, TREE_RULES);
    expect(tree.roots).toHaveLength(50);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('renderTreeText', () => {
  it.each(['deployment', 'statefulset', 'jobs', 'daemonset-service', 'pending'])('%s', (name) => {
    const tree = buildLiveTree(snapshot([name]), TREE_RULES);
    expectGolden(new URL(`${name}.txt`, DATA).pathname, renderTreeText(tree, { title: 'app web on context test (namespace shop)' }));
  });

  it('says what could not be read, under its node and at the end', () => {
    const gaps: ReadGap[] = [
      { group: '', kind: 'Pod', namespace: 'shop', of: 'children', message: 'limited may not list pods in namespace shop' },
      { group: '', kind: 'Event', namespace: 'shop', of: 'events', message: 'limited may not list events in namespace shop' },
    ];
    expectGolden(new URL('gaps.txt', DATA).pathname, renderTreeText(buildLiveTree(snapshot(['deployment'], { gaps, without: 'Pod' }), TREE_RULES)));
  });
});
