/**
 * core/kube against the real local API server: kubeconfig contexts, Targets of two independent
 * clusters, discovery (including a CRD created here), paginated lists, server-side apply with
 * dryRun, and the errors a user meets: 403, 409, 422, unreachable server, wrong CA, wrong token.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { LoadedKubeconfig } from '../../core/kube/kubeconfig.js';
import { listContexts, loadKubeconfig } from '../../core/kube/kubeconfig.js';
import { KubeClient } from '../../core/kube/client.js';
import { KubeError } from '../../core/kube/errors.js';
import { mapConcurrent } from '../../core/kube/concurrency.js';
import { preferredFor, resourceFor } from '../../core/kube/discovery.js';
import { discover, invalidateCache, legacyDiscovery, resolveTarget } from '../../core/kube/target.js';
import type { KubeObject } from '../../core/kube/types.js';
import type { Manifest } from '../../core/model/desired.js';
import { KUBERNETES_VERSION } from '../cluster/versions.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const cfg = loadKubeconfig({ path: kubeconfigPath });
const admin = new KubeClient(cfg, 'slipway-admin');
const second = new KubeClient(cfg, 'slipway-second');
const readonly = new KubeClient(cfg, 'slipway-readonly');
const suffix = Date.now().toString(36);
const ns = `it-kube-${suffix}`;
const crdGroup = `${suffix}.slipway.test`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-kube-'));
const fieldManager = 'slipway-test';

const deployment = (name: string, spec: Record<string, unknown> = {}): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
    ...spec,
  },
});

async function caught(promise: Promise<unknown>): Promise<KubeError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof KubeError) return err;
    throw err;
  }
  throw new Error('expected a KubeError');
}

/** A one-context kubeconfig in a temporary file, for the failure cases. */
function kubeconfigWith(context: string, cluster: Record<string, unknown>, user: Record<string, unknown>): LoadedKubeconfig {
  const file = join(tmp, `${context}.kubeconfig`);
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster }],
    users: [{ name: context, user }],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    'current-context': context,
  };
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return loadKubeconfig({ path: file });
}

const mainCluster = cfg.clusters.find((c) => c.name === cfg.contexts.find((x) => x.name === 'slipway-admin')?.cluster)!;
const secondCluster = cfg.clusters.find((c) => c.name === cfg.contexts.find((x) => x.name === 'slipway-second')?.cluster)!;
const caOf = (c: typeof mainCluster): Record<string, string> => (c.caFile ? { 'certificate-authority': c.caFile } : { 'certificate-authority-data': c.caData ?? '' });

beforeAll(async () => {
  await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { fieldManager });
});

afterAll(async () => {
  await admin.delete({ group: '', version: 'v1', kind: 'Namespace', name: ns }, { propagationPolicy: 'Background' }).catch(() => undefined);
  await admin
    .delete({ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', name: `widgets.${crdGroup}` })
    .catch(() => undefined);
  await Promise.all([admin.close(), second.close(), readonly.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

describe('kubeconfig', () => {
  it('lists the test contexts with their servers and users', () => {
    const contexts = listContexts(cfg);
    const byName = new Map(contexts.map((c) => [c.name, c]));
    expect(contexts.map((c) => c.name)).toEqual(expect.arrayContaining(['slipway-admin', 'slipway-readonly', 'slipway-second']));
    expect(contexts.map((c) => c.name)).toEqual([...contexts.map((c) => c.name)].sort());
    expect(byName.get('slipway-admin')).toMatchObject({ server: mainCluster.server, user: 'slipway-admin' });
    expect(byName.get('slipway-readonly')).toMatchObject({ server: mainCluster.server, user: 'slipway-readonly' });
    expect(byName.get('slipway-second')?.server).toBe(secondCluster.server);
    expect(secondCluster.server).not.toBe(mainCluster.server);
    expect(contexts.filter((c) => c.current).map((c) => c.name)).toEqual(cfg.currentContext ? [cfg.currentContext] : []);
  });

  const fixtures = fileURLToPath(new URL('../../core/kube/testdata/kubeconfig/', import.meta.url));
  it.each([
    [['a.yaml', 'b.yaml']],
    [['b.yaml', 'a.yaml']],
    [['c-no-current.yaml', 'b.yaml', 'a.yaml']],
    [['missing.yaml', 'a.yaml', 'empty.yaml']],
  ])('merges KUBECONFIG=%j exactly as kubectl does', (names) => {
    const files = names.map((n) => join(fixtures, n));
    const env = { ...process.env, KUBECONFIG: files.join(delimiter) };
    const view = JSON.parse(execFileSync(tools.kubectl, ['config', 'view', '-o', 'json'], { env, encoding: 'utf8' })) as {
      'current-context'?: string;
      contexts?: { name: string; context: { cluster: string; user?: string; namespace?: string } }[];
      clusters?: { name: string; cluster: { server: string } }[];
    };
    const ours = loadKubeconfig({ env: { KUBECONFIG: env.KUBECONFIG, HOME: tmp } });
    const sort = <T extends { name: string }>(xs: T[]): T[] => [...xs].sort((a, b) => a.name.localeCompare(b.name));
    expect(ours.currentContext ?? '').toBe(view['current-context'] ?? '');
    expect(sort(ours.contexts.map((c) => ({ name: c.name, cluster: c.cluster, user: c.user ?? '', namespace: c.namespace ?? '' })))).toEqual(
      sort((view.contexts ?? []).map((c) => ({ name: c.name, cluster: c.context.cluster, user: c.context.user ?? '', namespace: c.context.namespace ?? '' }))),
    );
    // client-node drops a trailing "/" from server URLs; kubectl shows it as written.
    expect(sort(ours.clusters.map((c) => ({ name: c.name, server: c.server })))).toEqual(
      sort((view.clusters ?? []).map((c) => ({ name: c.name, server: c.cluster.server.replace(/\/$/, '') }))),
    );
  });
});

describe('Target', () => {
  it('resolves slipway-admin and slipway-second to different clusters of the real version', async () => {
    const [main, other] = await Promise.all([resolveTarget(admin), resolveTarget(second)]);
    const version = { gitVersion: `v${KUBERNETES_VERSION}`, major: KUBERNETES_VERSION.split('.')[0], minor: KUBERNETES_VERSION.split('.')[1] };
    expect(main).toMatchObject({ context: 'slipway-admin', server: mainCluster.server, user: 'slipway-admin', serverVersion: version });
    expect(other).toMatchObject({ context: 'slipway-second', server: secondCluster.server, user: 'slipway-second-admin', serverVersion: version });
    expect(main.clusterUid).toMatch(/^[0-9a-f-]{36}$/);
    expect(other.clusterUid).toMatch(/^[0-9a-f-]{36}$/);
    expect(main.clusterUid).not.toBe(other.clusterUid);
    expect(main.serverVersion.gitVersion).toBe('v1.35.4');
  });
});

describe('discovery', () => {
  it('knows deployments.apps (namespaced, preferred v1) and namespaces (cluster-scoped) through aggregated discovery', async () => {
    const d = await discover(admin, { refresh: true });
    expect(d.source).toBe('aggregated');
    expect(preferredFor(d, 'apps', 'Deployment')).toMatchObject({ version: 'v1', plural: 'deployments', namespaced: true, preferred: true });
    expect(preferredFor(d, '', 'Namespace')).toMatchObject({ version: 'v1', plural: 'namespaces', namespaced: false, preferred: true });
    expect(d.resources.some((r) => r.plural.includes('/'))).toBe(false);
  });

  it('reads the same resources the legacy way (/api, /apis, group version by group version)', async () => {
    const key = (r: { group: string; version: string; kind: string; plural: string; namespaced: boolean; preferred: boolean; verbs: readonly string[] }): string =>
      `${r.group}/${r.version}/${r.kind}/${r.plural}/${r.namespaced}/${r.preferred}/${[...r.verbs].sort().join(',')}`;
    const [aggregated, legacy] = await Promise.all([discover(admin), legacyDiscovery(admin)]);
    expect(legacy.source).toBe('legacy');
    expect(legacy.resources.map(key).sort()).toEqual(aggregated.resources.map(key).sort());
  });

  it('sees a CRD created here once the discovery cache is invalidated, and serves its objects', async () => {
    const kind = { group: crdGroup, version: 'v1', kind: 'Widget' };
    const before = await discover(admin, { refresh: true });
    expect(resourceFor(before, kind)).toBeUndefined();

    await admin.apply(
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `widgets.${crdGroup}` },
        spec: {
          group: crdGroup,
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
        },
      },
      { fieldManager },
    );
    const crdKey = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', name: `widgets.${crdGroup}` };
    await vi.waitFor(
      async () => {
        const crd = (await admin.get(crdKey)) as { status?: { conditions?: { type: string; status: string }[] } } | null;
        expect(crd?.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('True');
      },
      { timeout: 30_000, interval: 250 },
    );

    expect(resourceFor(await discover(admin), kind)).toBeUndefined(); // still the cached answer
    invalidateCache(admin, 'discovery');
    await vi.waitFor(
      async () => {
        expect(resourceFor(await discover(admin, { refresh: true }), kind)).toMatchObject({ plural: 'widgets', namespaced: true, preferred: true });
      },
      { timeout: 30_000, interval: 250 },
    );

    const widget = await admin.apply({ apiVersion: `${crdGroup}/v1`, kind: 'Widget', metadata: { name: 'w', namespace: ns }, spec: { size: 3 } }, { fieldManager });
    expect(widget).toMatchObject({ apiVersion: `${crdGroup}/v1`, kind: 'Widget', spec: { size: 3 } });
  });
});

describe('KubeClient', () => {
  it('lists page by page with continue tokens, filling in apiVersion and kind', async () => {
    const names = ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4'];
    await mapConcurrent(names, 3, (name) =>
      admin.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { 'slipway.test/page': 'yes' } }, data: { k: name } }, { fieldManager }),
    );
    const configMaps = resourceFor(await discover(admin), { group: '', version: 'v1', kind: 'ConfigMap' })!;
    const spy = vi.spyOn(admin, 'request');
    try {
      const items = await admin.list(configMaps, { namespace: ns, labelSelector: 'slipway.test/page=yes', limit: 2 });
      expect(items.map((i) => [i.apiVersion, i.kind, i.metadata.namespace, i.metadata.name])).toEqual(names.map((n) => ['v1', 'ConfigMap', ns, n]));
      const queries = spy.mock.calls.map(([, path, opts]) => [path, opts?.query?.limit, typeof opts?.query?.continue]);
      expect(queries).toEqual([
        [`/api/v1/namespaces/${ns}/configmaps`, 2, 'undefined'],
        [`/api/v1/namespaces/${ns}/configmaps`, 2, 'string'],
        [`/api/v1/namespaces/${ns}/configmaps`, 2, 'string'],
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('returns server defaults from a dryRun apply without persisting, then applies for real', async () => {
    const key = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name: 'web' };
    const predicted = (await admin.apply(deployment('web'), { fieldManager, dryRun: true })) as KubeObject & {
      spec: { strategy?: { type?: string }; revisionHistoryLimit?: number; template: { spec: { containers: { imagePullPolicy?: string }[] } } };
    };
    expect(predicted.spec.strategy?.type).toBe('RollingUpdate');
    expect(predicted.spec.revisionHistoryLimit).toBe(10);
    expect(predicted.spec.template.spec.containers[0]?.imagePullPolicy).toBe('IfNotPresent');
    expect(typeof predicted.metadata.creationTimestamp).toBe('string'); // raw JSON, not a Date
    expect(await admin.get(key)).toBeNull();

    const applied = await admin.apply(deployment('web'), { fieldManager });
    const live = await admin.get(key);
    expect(live?.metadata.uid).toBe(applied.metadata.uid);
    // Applying the same manifest again changes nothing in the spec (controllers may still update status).
    const again = await admin.apply(deployment('web'), { fieldManager });
    expect([applied.metadata.generation, again.metadata.generation]).toEqual([1, 1]);
  });

  it('reports a server-side apply conflict with the other manager and field; force takes the field over', async () => {
    await admin.apply(deployment('owned'), { fieldManager });
    const err = await caught(admin.apply(deployment('owned', { replicas: 3 }), { fieldManager: 'someone-else' }));
    expect(err.code).toBe('conflict');
    expect(err.conflicts).toEqual([{ manager: fieldManager, field: '.spec.replicas' }]);
    expect(err.message).toBe(`Deployment.apps ${ns}/owned: apply conflicts with field manager "${fieldManager}" (.spec.replicas)`);
    const forced = (await admin.apply(deployment('owned', { replicas: 3 }), { fieldManager: 'someone-else', force: true })) as KubeObject & { spec: { replicas: number } };
    expect(forced.spec.replicas).toBe(3);
  });

  it.each([
    ['an invalid value', { replicas: -1 }, `Deployment.apps ${ns}/bad is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`],
    ['a field not in the schema', { bogus: true }, `Deployment.apps ${ns}/bad is invalid: .spec.bogus: field not declared in schema`],
  ])('rejects %s as invalid, naming the field', async (_name, spec, message) => {
    const err = await caught(admin.apply(deployment('bad', spec), { fieldManager, dryRun: true }));
    expect([err.code, err.message, err.retryable]).toEqual(['invalid', message, false]);
  });

  it('names the missing namespace when an object is applied into one', async () => {
    const err = await caught(admin.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: `${ns}-absent` } }, { fieldManager }));
    expect([err.code, err.message]).toEqual(['not-found', `ConfigMap ${ns}-absent/c: namespace ${ns}-absent not found (context slipway-admin)`]);
  });

  it('creates and deletes (with dryRun first), reporting each outcome', async () => {
    const key = { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'made' };
    await admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'made', namespace: ns } }, { fieldManager });
    const exists = await caught(admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'made', namespace: ns } }, { fieldManager }));
    expect([exists.code, exists.reason]).toEqual(['conflict', 'AlreadyExists']);
    expect(await admin.delete(key, { dryRun: true })).toMatchObject({ status: 'deleted' });
    expect(await admin.get(key)).not.toBeNull();
    expect(await admin.delete(key)).toMatchObject({ status: 'deleted' });
    expect(await admin.get(key)).toBeNull();
    expect(await admin.delete(key)).toEqual({ status: 'not-found' });
  });

  it('names the missing permission when slipway-readonly applies', async () => {
    const err = await caught(readonly.apply(deployment('web', { replicas: 2 }), { fieldManager }));
    expect(err.code).toBe('forbidden');
    expect(err.message).toBe(`slipway-readonly may not patch deployments.apps in namespace ${ns}`);
    expect(err.forbidden).toEqual({ user: 'slipway-readonly', verb: 'patch', resource: 'deployments.apps', namespace: ns });
    await expect(readonly.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name: 'web' })).resolves.toMatchObject({ metadata: { name: 'web' } });
  });
});

describe('connection failures', () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  it.each([
    // fetch refuses port 1 itself ("bad port"); the client's undici request tries it like any other.
    ['port 1', async () => 'https://127.0.0.1:1', 'connection refused'],
    ['a closed port', async () => `https://127.0.0.1:${await closedPort()}`, 'connection refused'],
  ])('an unreachable server on %s gives cluster-unreachable', async (_name, serverUrl, reason) => {
    const server = await serverUrl();
    const client = new KubeClient(kubeconfigWith('unreachable', { server, ...caOf(mainCluster) }, { token: 'x' }), 'unreachable', { timeoutMs: 5000 });
    const err = await caught(resolveTarget(client));
    expect([err.code, err.message]).toEqual(['cluster-unreachable', `cannot reach the cluster of context unreachable at ${server}: ${reason}`]);
  });

  it('a kubeconfig with the wrong CA gives tls-error', async () => {
    const client = new KubeClient(kubeconfigWith('wrong-ca', { server: mainCluster.server, ...caOf(secondCluster) }, { token: 'x' }), 'wrong-ca');
    const err = await caught(resolveTarget(client));
    expect(err.code).toBe('tls-error');
    expect(err.message).toBe(
      `TLS verification of ${mainCluster.server} failed for context wrong-ca: the server certificate is signed by a CA that is not trusted (wrong certificate-authority?)`,
    );
  });

  it('a wrong token gives unauthorized', async () => {
    const client = new KubeClient(kubeconfigWith('wrong-token', { server: mainCluster.server, ...caOf(mainCluster) }, { token: 'not-a-valid-token' }), 'wrong-token');
    const err = await caught(resolveTarget(client));
    expect([err.code, err.status, err.message]).toEqual(['unauthorized', 401, 'credentials for context wrong-token were rejected (expired token?)']);
  });
});
