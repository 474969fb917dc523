/**
 * The live context of the findings, read through a fake client: only what the changes ask for
 * (nothing at all for most plans), and a read the user may not make leaves its part out.
 */
import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../kube/client.js';
import { KubeError } from '../kube/errors.js';
import type { ApiResource, Discovery, KubeObject } from '../kube/types.js';
import { buildChange } from './assemble.js';
import type { JsonObject } from './json.js';
import { readFindingsContext } from './findings-live.js';
import { planFindings } from './findings/index.js';

const resource = (group: string, version: string, kind: string, plural: string, namespaced = true, verbs = ['list']): ApiResource => ({ group, version, kind, plural, namespaced, verbs, preferred: true });
const discovery: Discovery = {
  source: 'aggregated',
  unavailable: [],
  resources: [
    resource('', 'v1', 'ConfigMap', 'configmaps'),
    resource('', 'v1', 'Secret', 'secrets'),
    resource('', 'v1', 'Event', 'events'),
    resource('', 'v1', 'Namespace', 'namespaces', false),
    resource('apps', 'v1', 'Deployment', 'deployments'),
    resource('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets'),
    resource('', 'v1', 'Binding', 'bindings', true, ['create']),
  ],
};

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({ apiVersion, kind, metadata: { name, ...(namespace && { namespace }) } });

/** A cluster of `objects`; LISTs of the kinds in `forbidden` are refused (403); every LIST is recorded. */
function fakeClient(objects: readonly KubeObject[], forbidden: readonly string[] = []): { client: KubeClient; lists: string[] } {
  const lists: string[] = [];
  const client = {
    context: 'test',
    namespace: 'default',
    list: async (r: ApiResource, opts: { namespace?: string } = {}): Promise<KubeObject[]> => {
      lists.push(`${r.kind}${opts.namespace ? ` in ${opts.namespace}` : ''}`);
      if (forbidden.includes(r.kind)) throw new KubeError('forbidden', `${r.plural} is forbidden`, { context: 'test', server: 'https://test' });
      return objects.filter((o) => o.kind === r.kind && (opts.namespace === undefined || o.metadata.namespace === opts.namespace));
    },
  } as unknown as KubeClient;
  return { client, lists };
}

const deployment = (image: string): JsonObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'web', image }] } } } });
const rolled = buildChange({ key: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, before: deployment('web:1'), after: deployment('web:2') });
const namespaceGone = buildChange({ key: { group: '', version: 'v1', kind: 'Namespace', name: 'old' }, before: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old' } } });
const crd: JsonObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1alpha1', storage: false }, { name: 'v1', storage: true }] },
};
const crdGone = buildChange({ key: { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', name: 'widgets.example.com' }, before: crd });

const cluster = [
  obj('policy/v1', 'PodDisruptionBudget', 'web', 'shop'),
  obj('policy/v1', 'PodDisruptionBudget', 'elsewhere', 'other'),
  obj('v1', 'ConfigMap', 'a', 'old'),
  obj('v1', 'ConfigMap', 'b', 'old'),
  obj('v1', 'Secret', 's', 'old'),
  obj('v1', 'Event', 'e', 'old'),
  obj('apps/v1', 'Deployment', 'd', 'other'),
  obj('example.com/v1', 'Widget', 'w1', 'x'),
  obj('example.com/v1', 'Widget', 'w2', 'y'),
];

describe('readFindingsContext', () => {
  it('reads the PodDisruptionBudgets where workloads change, what a deleted Namespace holds (Events aside) and the objects of a deleted CRD', async () => {
    const { client, lists } = fakeClient(cluster);
    const live = await readFindingsContext(client, discovery, planFindings([rolled, namespaceGone, crdGone]).needs);
    expect(live).toEqual({
      podDisruptionBudgets: [cluster[0]],
      namespaceContents: { old: { total: 3, byKind: { ConfigMap: 2, Secret: 1 } } },
      customResources: { 'widgets.example.com': 2 },
    });
    expect(lists.sort()).toEqual(['ConfigMap in old', 'Deployment in old', 'PodDisruptionBudget in old', 'PodDisruptionBudget in shop', 'Secret in old', 'Widget']);
  });

  it('reads nothing for a plan that needs nothing', async () => {
    const { client, lists } = fakeClient(cluster);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: { a: '1' } };
    expect(await readFindingsContext(client, discovery, planFindings([buildChange({ key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'c' }, after: cm })]).needs)).toEqual({});
    expect(lists).toEqual([]);
  });

  it('leaves out what the user may not list, and counts a Namespace it could not fully list as partial', async () => {
    const { client } = fakeClient(cluster, ['PodDisruptionBudget', 'Secret', 'Widget']);
    expect(await readFindingsContext(client, discovery, planFindings([rolled, namespaceGone, crdGone]).needs)).toEqual({ namespaceContents: { old: { total: 2, byKind: { ConfigMap: 2 }, partial: true } } });
  });
});
