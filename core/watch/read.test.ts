/**
 * The live tree's reader through a fake client: the parent's annotations say which kinds and
 * namespaces to list members in; only the child kinds those members can have are listed, in the
 * members' namespaces; a 403 becomes a ReadGap and the rest is read; Secrets are listed as
 * metadata only (their data never reaches the engine), even from a server that sends whole objects.
 */
import { describe, expect, it } from 'vitest';
import type { HttpMethod } from '@kubernetes/client-node';
import { KubeError } from '../kube/errors.js';
import type { ApiResource, Discovery, KubeObject, RequestOptions } from '../kube/types.js';
import { APPLYSET_PART_OF_LABEL, applySetId, type ApplySetParent } from '../model/applyset.js';
import { readLiveSnapshot, type LiveReadClient } from './read.js';

const res = (group: string, kind: string, plural: string, namespaced = true): ApiResource => ({ group, version: 'v1', kind, plural, namespaced, verbs: ['list', 'get', 'watch'], preferred: true });
const DISCOVERY: Discovery = {
  resources: [
    res('', 'Secret', 'secrets'),
    res('', 'ConfigMap', 'configmaps'),
    res('', 'Pod', 'pods'),
    res('', 'Event', 'events'),
    res('', 'Service', 'services'),
    res('', 'PersistentVolumeClaim', 'persistentvolumeclaims'),
    res('apps', 'Deployment', 'deployments'),
    res('apps', 'ReplicaSet', 'replicasets'),
    res('discovery.k8s.io', 'EndpointSlice', 'endpointslices'),
  ],
  unavailable: [],
  source: 'aggregated',
};
const PARENT: ApplySetParent = { group: '', kind: 'Secret', namespace: 'shop', name: 'slipway-web-0123456789' };
const ID = applySetId(PARENT);
const member = (apiVersion: string, kind: string, name: string, namespace: string, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion, kind, metadata: { name, namespace, uid: `${kind}-${name}`, labels: { [APPLYSET_PART_OF_LABEL]: ID } }, ...extra });

/** A fake cluster: objects by "plural|namespace"; `forbidden` lists "plural|namespace" the user may not list. */
function fakeClient(objects: Record<string, KubeObject[]>, opts: { forbidden?: string[]; parentAnnotations?: Record<string, string> } = {}): LiveReadClient & { lists: string[] } {
  const lists: string[] = [];
  const forbid = (plural: string, namespace: string | undefined): void => {
    if (opts.forbidden?.includes(`${plural}|${namespace ?? ''}`)) throw new KubeError('forbidden', `limited may not list ${plural} in namespace ${namespace}`, { context: 'test', server: '', status: 403 });
  };
  const secrets = (namespace: string): KubeObject[] => objects[`secrets|${namespace}`] ?? [];
  return {
    context: 'test',
    lists,
    list: async (r: ApiResource, o: { namespace?: string; labelSelector?: string } = {}) => {
      lists.push(`${r.plural}|${o.namespace ?? ''}${o.labelSelector ? ' (members)' : ''}`);
      forbid(r.plural, o.namespace);
      return (objects[`${r.plural}|${o.namespace ?? ''}`] ?? []).filter((x) => !o.labelSelector || (x.metadata.labels as Record<string, string> | undefined)?.[APPLYSET_PART_OF_LABEL] === ID);
    },
    request: async (_method: HttpMethod, path: string, o: RequestOptions = {}) => {
      const parent = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(path);
      // A server that ignores the metadata-only Accept header: it sends whole Secrets, data included.
      if (parent) return { apiVersion: 'v1', kind: 'Secret', metadata: { name: parent[2], namespace: parent[1], annotations: opts.parentAnnotations ?? {} }, data: { x: 'cGFyZW50LWNhbmFyeQ==' } };
      const list = /^\/api\/v1\/namespaces\/([^/]+)\/secrets$/.exec(path);
      if (list) {
        lists.push(`secrets|${list[1]} (members, metadata only: ${String(o.accept).startsWith('application/json;as=PartialObjectMetadataList') ? 'yes' : 'no'})`);
        forbid('secrets', list[1]);
        return { items: secrets(list[1]!) };
      }
      throw new Error(`unexpected request ${path}`);
    },
  };
}

describe('readLiveSnapshot', () => {
  it('lists members by kind and namespace from the parent, then only the child kinds they can have, and the Events of their namespaces', async () => {
    const client = fakeClient(
      {
        'deployments|shop': [member('apps/v1', 'Deployment', 'web', 'shop')],
        'services|edge': [member('v1', 'Service', 'web', 'edge')],
        'secrets|shop': [member('v1', 'Secret', 'db', 'shop', { data: { password: 'c2VjcmV0LWNhbmFyeQ==' } })],
        'pods|shop': [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop', uid: 'p' } }],
      },
      { parentAnnotations: { 'applyset.kubernetes.io/contains-group-kinds': 'Deployment.apps,Secret,Service', 'applyset.kubernetes.io/additional-namespaces': 'edge' } },
    );
    const snap = await readLiveSnapshot({ client, discovery: DISCOVERY, parent: PARENT, concurrency: 1, now: () => '2026-01-01T12:00:00Z' });
    expect(client.lists).toEqual([
      'deployments|edge (members)',
      'deployments|shop (members)',
      'secrets|edge (members, metadata only: yes)',
      'secrets|shop (members, metadata only: yes)',
      'services|edge (members)',
      'services|shop (members)',
      'replicasets|edge',
      'replicasets|shop',
      'endpointslices|edge',
      'endpointslices|shop',
      'pods|edge',
      'pods|shop',
      'events|edge',
      'events|shop',
    ]);
    expect(snap.applySet).toEqual({ parent: 'Secret/shop/slipway-web-0123456789', id: ID, found: true });
    expect(snap.objects.size).toBe(4);
    expect(snap.readAt).toBe('2026-01-01T12:00:00Z');
    // The Secret member is its metadata only.
    const secret = [...snap.objects.values()].find((o) => o.kind === 'Secret');
    expect(secret).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: expect.objectContaining({ name: 'db' }) });
    expect(JSON.stringify([...snap.objects.values()])).not.toMatch(/c2VjcmV0LWNhbmFyeQ==|cGFyZW50LWNhbmFyeQ==/);
  });

  it('turns a LIST the user may not make into a gap and reads the rest', async () => {
    const client = fakeClient(
      { 'deployments|shop': [member('apps/v1', 'Deployment', 'web', 'shop')], 'replicasets|shop': [] },
      { forbidden: ['pods|shop', 'events|shop', 'configmaps|shop'], parentAnnotations: { 'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap,Deployment.apps' } },
    );
    const snap = await readLiveSnapshot({ client, discovery: DISCOVERY, parent: PARENT });
    expect(snap.gaps).toEqual([
      { group: '', kind: 'Pod', namespace: 'shop', of: 'children', message: 'limited may not list pods in namespace shop' },
      { group: '', kind: 'Event', namespace: 'shop', of: 'events', message: 'limited may not list events in namespace shop' },
      { group: '', kind: 'ConfigMap', namespace: 'shop', of: 'members', message: 'limited may not list configmaps in namespace shop' },
    ]);
    expect([...snap.objects.values()].map((o) => o.kind)).toEqual(['Deployment']);
  });

  it('reads the kinds and namespaces of the members the last apply left, without a parent; a kind the cluster no longer serves is a gap', async () => {
    const client = fakeClient({ 'configmaps|other': [member('v1', 'ConfigMap', 'settings', 'other')] });
    const snap = await readLiveSnapshot({
      client,
      discovery: DISCOVERY,
      parent: PARENT,
      expected: [
        { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'other', name: 'settings' },
        { group: 'example.com', version: 'v1', kind: 'Widget', namespace: 'shop', name: 'w' },
      ],
    });
    expect(snap.applySet.found).toBe(true);
    expect([...snap.objects.values()].map((o) => o.metadata.name)).toEqual(['settings']);
    expect(snap.gaps).toEqual([{ group: 'example.com', kind: 'Widget', of: 'members', message: 'Widget.example.com is not served by the cluster of context test' }]);
  });

  it('does not call gone what the last apply left that exists outside the set (a Namespace it created), only what is not there', async () => {
    const client = fakeClient({ 'deployments|shop': [member('apps/v1', 'Deployment', 'web', 'shop')] }, { parentAnnotations: { 'applyset.kubernetes.io/contains-group-kinds': 'Deployment.apps' } });
    const get = client.request;
    client.request = async (method, path, o) => {
      if (path === '/api/v1/namespaces/shop') return { metadata: { name: 'shop' } };
      if (path === '/apis/apps/v1/namespaces/shop/deployments/api') throw new KubeError('not-found', 'deployments.apps "api" not found', { context: 'test', server: '', status: 404 });
      return get(method, path, o);
    };
    const snap = await readLiveSnapshot({
      client,
      discovery: { ...DISCOVERY, resources: [...DISCOVERY.resources, res('', 'Namespace', 'namespaces', false)] },
      parent: PARENT,
      expected: [
        { group: '', version: 'v1', kind: 'Namespace', name: 'shop' },
        { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
        { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'api' },
      ],
    });
    expect(snap.expected.map((k) => `${k.kind}/${k.name}`)).toEqual(['Deployment/web', 'Deployment/api']);
  });

  it('fails on anything else: an unreachable API server is no gap', async () => {
    const client = fakeClient({}, { parentAnnotations: { 'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap' } });
    const broken: LiveReadClient = { ...client, list: async () => Promise.reject(new KubeError('cluster-unreachable', 'the API server of context test is unreachable', { context: 'test', server: '' })) };
    await expect(readLiveSnapshot({ client: broken, discovery: DISCOVERY, parent: PARENT })).rejects.toThrow(/unreachable/);
  });
});
