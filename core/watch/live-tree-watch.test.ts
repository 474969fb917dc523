/**
 * The live tree fed by watches, through a fake WatchHub: which kinds and namespaces it subscribes
 * to (member kinds but not Secrets, their child kinds, Events), a change rebuilds the tree once per
 * batch, an object the first read held that the synced watch does not is dropped, and a watch that
 * says forbidden is a gap until it syncs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { TREE_RULES } from '../engine/live-tree.js';
import type { ApiResource, Discovery, KubeObject } from '../kube/types.js';
import { watchLiveTree } from './live-tree-watch.js';
import { snapshotOf, type LiveTree } from './tree.js';
import { watchKey, type WatchHub, type WatchListener, type WatchState, type WatchSubscription, type WatchTarget } from './watcher.js';

const res = (group: string, kind: string, plural: string): ApiResource => ({ group, version: 'v1', kind, plural, namespaced: true, verbs: ['list', 'watch'], preferred: true });
const DISCOVERY: Discovery = {
  resources: [res('', 'Secret', 'secrets'), res('', 'Pod', 'pods'), res('', 'Event', 'events'), res('apps', 'Deployment', 'deployments'), res('apps', 'ReplicaSet', 'replicasets')],
  unavailable: [],
  source: 'aggregated',
};

const load = (): KubeObject[] =>
  parseAllDocuments(readFileSync(new URL('./testdata/tree/deployment.yaml', import.meta.url), 'utf8')).map((d) => d.toJS() as KubeObject);
const SECRET: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'shop', uid: 'sec', labels: { 'applyset.kubernetes.io/part-of': 'applyset-test-v1' } } };

/** A hub whose watches the test drives: `emit(key, …)`. */
function fakeHub(held: Record<string, KubeObject[]> = {}) {
  const listeners = new Map<string, WatchListener>();
  const states = new Map<string, WatchState>();
  const hub: Pick<WatchHub, 'subscribe'> = {
    subscribe: (target: WatchTarget, listener: WatchListener): WatchSubscription => {
      const key = watchKey(target);
      listeners.set(key, listener);
      states.set(key, { phase: 'connecting' });
      return { key, target, state: () => states.get(key)!, objects: () => held[key] ?? [], get: () => undefined, close: () => void listeners.delete(key) };
    },
  };
  return {
    hub,
    keys: () => [...listeners.keys()],
    state: (key: string, state: WatchState) => {
      states.set(key, state);
      listeners.get(key)?.onState?.(state);
    },
    change: (key: string, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject) => listeners.get(key)?.onChange?.({ type, object }),
  };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
const names = (t: LiveTree): string[] => {
  const out: string[] = [];
  const walk = (n: LiveTree['roots'][number]): void => {
    out.push(`${n.key.kind}/${n.key.name}`);
    n.children.forEach(walk);
  };
  t.roots.forEach(walk);
  return out;
};

describe('watchLiveTree', () => {
  it('follows the member kinds (not Secrets), their child kinds and Events, rebuilding once per batch', async () => {
    const initial = snapshotOf({ applySet: { parent: 'Secret/shop/p', id: 'applyset-test-v1', found: true }, objects: [...load(), SECRET], expected: [], gaps: [], readAt: '2026-01-01T12:00:00Z' });
    // The watch of Pods holds both Pods of the current ReplicaSet; the first read's orphan Pods are not its concern (no node).
    const pods = load().filter((o) => o.kind === 'Pod');
    const fake = fakeHub({ 'v1/pods@shop': pods.filter((p) => p.metadata.uid !== 'pod-web-b') });
    const trees: LiveTree[] = [];
    const watch = watchLiveTree({ hub: fake.hub, discovery: DISCOVERY, initial, rules: TREE_RULES, onTree: (t) => trees.push(t), debounceMs: 1, now: () => '2026-01-01T12:00:01Z' });
    expect(fake.keys()).toEqual(['apps/v1/deployments@shop', 'apps/v1/replicasets@shop', 'v1/pods@shop', 'v1/events@shop']);
    expect(trees).toHaveLength(1);
    expect(names(trees[0]!)).toContain('Pod/web-7c5b9-bbbbb');

    // Synced without Pod b: it was deleted between the read and the watch.
    fake.state('v1/pods@shop', { phase: 'synced', since: '2026-01-01T12:00:01Z' });
    const podA = pods.find((p) => p.metadata.uid === 'pod-web-a')!;
    fake.change('v1/pods@shop', 'MODIFIED', { ...podA, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } });
    await tick();
    expect(trees).toHaveLength(2);
    const t = watch.tree();
    expect(names(t)).not.toContain('Pod/web-7c5b9-bbbbb');
    expect(names(t)).toContain('Secret/creds');
    expect(t.roots[0]!.children[0]!.children.map((p) => [p.key.name, p.health])).toEqual([['web-7c5b9-aaaaa', 'progressing']]);
    expect(t.readAt).toBe('2026-01-01T12:00:01Z');
    watch.close();
  });

  it('shows a watch that is forbidden as a gap until it syncs', async () => {
    const initial = snapshotOf({ applySet: { parent: 'Secret/shop/p', id: 'applyset-test-v1', found: true }, objects: load(), expected: [], gaps: [], readAt: '2026-01-01T12:00:00Z' });
    const fake = fakeHub();
    const watch = watchLiveTree({ hub: fake.hub, discovery: DISCOVERY, initial, rules: TREE_RULES, onTree: () => undefined, debounceMs: 1 });
    fake.state('v1/events@shop', { phase: 'forbidden', reason: 'jane may not watch events in namespace shop' });
    await tick();
    expect(watch.tree().gaps).toEqual([{ group: '', kind: 'Event', namespace: 'shop', of: 'events', message: 'jane may not watch events in namespace shop' }]);
    expect(watch.states().find((s) => s.key === 'v1/events@shop')?.state.phase).toBe('forbidden');
    fake.state('v1/events@shop', { phase: 'synced', since: 'now' });
    await tick();
    expect(watch.tree().gaps).toEqual([]);
    watch.close();
  });
});
