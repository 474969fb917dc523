import { describe, expect, it } from 'vitest';
import type { ApiResource, Discovery, KubeObject } from '../kube/types.js';
import { identityOf, type ResourceKey } from '../model/resource.js';
import { listLiveObjects } from './live.js';

const resource = (group: string, kind: string, plural: string, namespaced = true): ApiResource => ({ group, version: 'v1', kind, plural, namespaced, verbs: ['list'], preferred: true });
const discovery: Discovery = { source: 'aggregated', unavailable: [], resources: [resource('', 'Namespace', 'namespaces', false), resource('', 'ConfigMap', 'configmaps'), resource('', 'Secret', 'secrets')] };
const key = (kind: string, name: string, namespace?: string): ResourceKey => ({ group: '', version: 'v1', kind, name, ...(namespace !== undefined && { namespace }) });
const obj = (kind: string, name: string, namespace?: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, ...(namespace !== undefined && { namespace }) } });

/** A cluster of `objects` whose every LIST is recorded ("ConfigMap in shop"). */
function lister(objects: readonly KubeObject[]): { lists: string[]; list: (r: ApiResource, ns: string | undefined) => Promise<KubeObject[]> } {
  const lists: string[] = [];
  return {
    lists,
    list: async (r, ns) => {
      lists.push(`${r.kind}${ns !== undefined ? ` in ${ns}` : ''}`);
      return objects.filter((o) => o.kind === r.kind && (ns === undefined || o.metadata.namespace === ns));
    },
  };
}

describe('listLiveObjects: one LIST per kind and namespace, none in namespaces the cluster does not have', () => {
  it('lists nothing in a namespace among the keys that does not exist, and finds what exists elsewhere', async () => {
    const cluster = [obj('Namespace', 'shop'), obj('ConfigMap', 'a', 'shop'), obj('ConfigMap', 'x', 'other')];
    const { lists, list } = lister(cluster);
    const keys = [key('Namespace', 'shop'), key('Namespace', 'new'), key('ConfigMap', 'a', 'shop'), key('Secret', 's', 'shop'), key('ConfigMap', 'b', 'new'), key('Secret', 't', 'new')];
    const live = await listLiveObjects(discovery, keys, list);
    expect([...live.keys()].sort()).toEqual([identityOf(key('Namespace', 'shop')), identityOf(key('ConfigMap', 'a', 'shop'))].sort());
    expect(lists[0]).toBe('Namespace');
    expect(lists.slice(1).sort()).toEqual(['ConfigMap in shop', 'Secret in shop']);
  });

  it('lists in a namespace that is not among the keys (its existence is not known)', async () => {
    const { lists, list } = lister([obj('ConfigMap', 'x', 'other')]);
    const live = await listLiveObjects(discovery, [key('ConfigMap', 'x', 'other')], list);
    expect(live.get(identityOf(key('ConfigMap', 'x', 'other')))?.metadata.name).toBe('x');
    expect(lists).toEqual(['ConfigMap in other']);
  });

  it('lists several kinds and namespaces at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const list = async (): Promise<KubeObject[]> => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return [];
    };
    const keys = Array.from({ length: 8 }, (_, i) => key('ConfigMap', 'c', `ns${i}`));
    await listLiveObjects(discovery, keys, list, { concurrency: 4 });
    expect(most).toBe(4);
  });
});
