/**
 * Watching against the real local cluster (core/watch/watcher.ts, core/watch/drift.ts,
 * core/engine/app-watch.ts), no fake of the API:
 * - one shared watch per kind and namespace sees changes as kubectl makes them, and stops with
 *   its last subscriber;
 * - a context without list or watch rights on a kind: that watch says `forbidden` naming the
 *   missing right, the others work (slipway-readonly may get, list and watch everything, so the
 *   test makes a ServiceAccount with less);
 * - drift of an app applied with the history: `kubectl scale` is flagged within 2 s naming
 *   spec.replicas, a Secret's value changed with `kubectl patch` names data.password and never a
 *   value, a label kubectl adds is not drift, a deleted member is `deleted`.
 * 410 Gone and the API server stopped, frozen and restarted: watch-faults.test.ts. The CLI
 * (`slipway watch`): watch-cli.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { applyPlan } from '../../core/apply/service.js';
import { watchApp, type AppWatch, type ObjectDrift, type ObjectHealthChange } from '../../core/engine/app-watch.js';
import { openRepository } from '../../core/git/repository.js';
import type { Repository } from '../../core/git/types.js';
import { openHistory, type History } from '../../core/history/history.js';
import { KubeClient } from '../../core/kube/client.js';
import { loadKubeconfig } from '../../core/kube/kubeconfig.js';
import type { ApiResource } from '../../core/kube/types.js';
import { formatKey } from '../../core/model/resource.js';
import { planApp } from '../../core/plan/service.js';
import { WatchHub, type WatchChange, type WatchState } from '../../core/watch/watcher.js';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const toolPaths = { kubectl: tools.kubectl, helm: tools.helm, kustomize: tools.kustomize };
const kubeconfig = loadKubeconfig({ path: kubeconfigPath });
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });

const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const NS = { watch: `watch-it-${suffix}`, drift: `drift-it-${suffix}` };
const canary = { applied: `pw-${randomBytes(8).toString('hex')}`, patched: `pw-${randomBytes(8).toString('hex')}` };
const tmp = mkdtempSync(join(tmpdir(), 'slipway-watch-it-'));
const cacheDir = join(tmp, 'trees');
const clients: KubeClient[] = [];
const hubs: WatchHub[] = [];
let fixture: TestRepo;
let repo: Repository;
let history: History;

const doc = (o: object): string => JSON.stringify(o, null, 2);
const client = (context = 'slipway-admin', kc = kubeconfig): KubeClient => {
  const c = new KubeClient(kc, context);
  clients.push(c);
  return c;
};
/** A hub that notices a lost server quickly (the defaults are for people, not tests). */
const hubOf = (c: KubeClient): WatchHub => {
  const h = new WatchHub(c, { probeIntervalMs: 1000, probeTimeoutMs: 2000 });
  hubs.push(h);
  return h;
};
const resource = (c: KubeClient, kind: string, group = '', version = 'v1'): Promise<ApiResource> => c.resourceFor({ group, version, kind });

/** Resolves when the condition holds; polls every 25 ms; fails after `timeoutMs` naming what it waited for. */
async function until(what: string, timeoutMs: number, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A listener that keeps what it was told. */
function recorder(): { changes: WatchChange[]; states: WatchState[]; listener: { onChange: (c: WatchChange) => void; onState: (s: WatchState) => void } } {
  const changes: WatchChange[] = [];
  const states: WatchState[] = [];
  return { changes, states, listener: { onChange: (c) => changes.push(c), onState: (s) => states.push(s) } };
}

beforeAll(async () => {
  kubectl(['create', 'namespace', NS.watch]);
  kubectl(['create', 'namespace', NS.drift]);
  fixture = createTestRepo({ prefix: 'slipway-watch-it-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: watched\n    path: apps/watched\n    destination: {namespace: ${NS.drift}}\n`,
    'apps/watched/web.yaml': doc({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    }),
    'apps/watched/config.yaml': [
      doc({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { LOG_LEVEL: 'info' } }),
      doc({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, type: 'Opaque', stringData: { password: canary.applied } }),
    ].join('\n---\n'),
  });
  fixture.commit('the watched app');
  repo = await openRepository(fixture.dir);
  history = openHistory({ path: join(tmp, 'history.db') });
});

afterAll(async () => {
  await cleanUp([
    ...hubs.map((h) => () => h.close()),
    ...clients.map((c) => () => c.close()),
    ...Object.values(NS).map((ns) => () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false'])),
    () => history?.close(),
    () => repo?.close(),
    () => fixture?.cleanup(),
    () => rmSync(tmp, { recursive: true, force: true }),
  ]);
});

describe('a shared watch', () => {
  it('lists, then sees what kubectl creates, changes and deletes; a second subscriber shares it and the last to leave stops it', async () => {
    const c = client();
    const hub = hubOf(c);
    const configMaps = await resource(c, 'ConfigMap');
    kubectl(['create', 'configmap', 'before', '-n', NS.watch, '--from-literal=a=1']);
    const first = recorder();
    const sub = hub.subscribe({ resource: configMaps, namespace: NS.watch }, first.listener);
    await until('the watch to be synced', 30_000, () => sub.state().phase === 'synced');
    expect(first.states.map((s) => s.phase)).toEqual(['connecting', 'synced']);
    expect(sub.objects().map((o) => o.metadata.name).sort()).toEqual(['before', 'kube-root-ca.crt']);
    // Listed objects carry apiVersion and kind as watched ones do.
    expect(sub.get('before')).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });

    kubectl(['create', 'configmap', 'made', '-n', NS.watch, '--from-literal=a=1']);
    kubectl(['patch', 'configmap', 'made', '-n', NS.watch, '-p', '{"data":{"a":"2"}}']);
    kubectl(['delete', 'configmap', 'before', '-n', NS.watch]);
    await until('the delete to be seen', 10_000, () => first.changes.some((ch) => ch.type === 'DELETED'));
    // The list told of `before` (ADDED); the stream of everything after it.
    const seen = first.changes.map((ch) => `${ch.type} ${ch.object.metadata.name} a=${(ch.object.data as { a?: string } | undefined)?.a ?? '-'}`).filter((x) => !x.includes('kube-root-ca.crt'));
    expect(seen).toEqual(['ADDED before a=1', 'ADDED made a=1', 'MODIFIED made a=2', 'DELETED before a=1']);
    expect(sub.get('made')?.data).toEqual({ a: '2' });

    // A second subscriber: the same watch, what it holds replayed.
    const second = recorder();
    const sub2 = hub.subscribe({ resource: configMaps, namespace: NS.watch }, second.listener);
    await until('the replay', 5000, () => second.states.length > 0);
    expect(second.changes.map((ch) => `${ch.type} ${ch.object.metadata.name}`).sort()).toEqual(['ADDED kube-root-ca.crt', 'ADDED made']);
    expect(second.states).toEqual([sub.state()]);
    expect(hub.list()).toEqual([expect.objectContaining({ key: `v1/configmaps@${NS.watch}`, subscribers: 2, objects: 2, lists: 1 })]);
    sub.close();
    expect(hub.list()).toEqual([expect.objectContaining({ subscribers: 1 })]);
    sub2.close();
    expect(hub.list()).toEqual([]);
  });

  it('without a list or watch right on a kind, that watch is forbidden and names the right; the rest works', async () => {
    // slipway-readonly may get, list and watch everything: its watches sync.
    const readonly = client('slipway-readonly');
    const roHub = hubOf(readonly);
    const roSub = roHub.subscribe({ resource: await resource(readonly, 'Secret'), namespace: NS.watch }, {});
    await until('slipway-readonly to watch Secrets', 30_000, () => roSub.state().phase === 'synced');
    roSub.close();

    // A ServiceAccount that may list and watch ConfigMaps, only list Services, and nothing of Secrets.
    const sa = `watch-limited-${suffix}`.slice(0, 60);
    kubectl(['create', 'serviceaccount', sa, '-n', NS.watch]);
    kubectl(['apply', '-f', '-'], {
      input: [
        doc({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: sa, namespace: NS.watch }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list', 'watch'] }, { apiGroups: [''], resources: ['services'], verbs: ['list'] }] }),
        doc({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: sa, namespace: NS.watch }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: sa }, subjects: [{ kind: 'ServiceAccount', name: sa, namespace: NS.watch }] }),
      ].join('\n---\n'),
    });
    const token = kubectl(['create', 'token', sa, '-n', NS.watch, '--duration=10m']).trim();
    const admin = kubeconfig.contexts.find((x) => x.name === 'slipway-admin')!;
    const cluster = kubeconfig.clusters.find((x) => x.name === admin.cluster)!;
    const ca = cluster.caFile !== undefined ? { 'certificate-authority': cluster.caFile } : { 'certificate-authority-data': cluster.caData };
    const file = join(tmp, 'limited.kubeconfig');
    writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server: cluster.server, ...ca } }], users: [{ name: sa, user: { token } }], contexts: [{ name: 'limited', context: { cluster: 'c', user: sa, namespace: NS.watch } }], 'current-context': 'limited' }), { mode: 0o600 });
    const limited = client('limited', loadKubeconfig({ path: file }));
    const admin2 = client();
    const hub = hubOf(limited);
    const subs = {
      configMaps: hub.subscribe({ resource: await resource(admin2, 'ConfigMap'), namespace: NS.watch }, {}),
      services: hub.subscribe({ resource: await resource(admin2, 'Service'), namespace: NS.watch }, {}),
      secrets: hub.subscribe({ resource: await resource(admin2, 'Secret'), namespace: NS.watch }, {}),
    };
    await until('every watch to settle', 30_000, () => Object.values(subs).every((s) => s.state().phase !== 'connecting'));
    expect(subs.configMaps.state().phase).toBe('synced');
    expect(subs.secrets.state()).toEqual({ phase: 'forbidden', reason: expect.stringMatching(new RegExp(`may not list secrets in namespace ${NS.watch}`)) });
    expect(subs.services.state()).toEqual({ phase: 'forbidden', reason: expect.stringMatching(new RegExp(`may not watch services in namespace ${NS.watch}`)) });
    // The ConfigMaps watch works all the same.
    kubectl(['create', 'configmap', 'seen-by-limited', '-n', NS.watch, '--from-literal=a=1']);
    await until('the limited watch to see a new ConfigMap', 10_000, () => subs.configMaps.get('seen-by-limited') !== undefined);
    for (const s of Object.values(subs)) s.close();
  });
});

describe('drift of an applied app', () => {
  let watch: AppWatch;
  const drifts: ObjectDrift[] = [];
  const health: ObjectHealthChange[] = [];
  const driftOf = (kind: string): ObjectDrift | undefined => watch.report().objects.find((d) => d.key.kind === kind);

  beforeAll(async () => {
    const plan = await planApp({ repo, rev: 'HEAD', selection: { app: 'watched' }, kubeconfig, context: 'slipway-admin', cacheDir, tools: toolPaths, lastApply: history });
    const outcome = await applyPlan({ plan, repo, kubeconfig, history, cacheDir, tools: toolPaths, timeoutMs: 90_000 });
    expect(outcome.status).toBe('succeeded');
    watch = await watchApp({
      repo,
      selection: { app: 'watched' },
      kubeconfig,
      context: 'slipway-admin',
      cacheDir,
      tools: toolPaths,
      history,
      hubOptions: { probeIntervalMs: 1000, probeTimeoutMs: 2000 },
      listener: { onDrift: (d) => drifts.push(d), onHealth: (h) => health.push(h) },
    });
  });

  afterAll(async () => {
    await watch?.close();
  });

  it('starts with every object as applied, and their health', async () => {
    await until('every object to be compared', 30_000, () => watch.report().pending === 0);
    expect(watch.objects.map((o) => formatKey(o.key)).sort()).toEqual([`ConfigMap ${NS.drift}/settings`, `Deployment.apps ${NS.drift}/web`, `Secret ${NS.drift}/db`].sort());
    expect(watch.report()).toMatchObject({ drifted: 0, pending: 0 });
    expect(watch.report().objects.map((d) => [d.key.kind, d.status])).toEqual([
      ['ConfigMap', 'in-sync'],
      ['Deployment', 'in-sync'],
      ['Secret', 'in-sync'],
    ]);
    await until('the Deployment to be healthy', 30_000, () => health.some((h) => h.key.kind === 'Deployment' && h.status === 'healthy'));
  });

  it('kubectl scale is drift of spec.replicas, flagged within 2 s', async () => {
    kubectl(['scale', 'deployment', 'web', '-n', NS.drift, '--replicas=3']);
    const t0 = Date.now();
    await until('the scale to be flagged', 10_000, () => driftOf('Deployment')?.status === 'drifted');
    const ms = Date.now() - t0;
    console.error(`[watch] drift flagged ${ms} ms after kubectl scale returned`);
    expect(ms).toBeLessThanOrEqual(2000);
    expect(driftOf('Deployment')).toMatchObject({ status: 'drifted', paths: ['spec.replicas'] });
    expect(drifts.at(-1)).toMatchObject({ key: { kind: 'Deployment', name: 'web' }, paths: ['spec.replicas'] });
  });

  it('a label another manager adds, and status changes, are not drift', async () => {
    const before = drifts.length;
    kubectl(['label', 'deployment', 'web', '-n', NS.drift, 'team=payments']);
    kubectl(['annotate', 'configmap', 'settings', '-n', NS.drift, 'note=hello']);
    await new Promise((r) => setTimeout(r, 1500));
    expect(drifts.slice(before)).toEqual([]);
    expect(driftOf('Deployment')?.paths).toEqual(['spec.replicas']);
    expect(driftOf('ConfigMap')?.status).toBe('in-sync');
  });

  it("a Secret's value changed with kubectl patch is drift of data.password, and no value is ever told", async () => {
    kubectl(['patch', 'secret', 'db', '-n', NS.drift, '-p', JSON.stringify({ data: { password: Buffer.from(canary.patched).toString('base64') } })]);
    await until('the Secret to be flagged', 10_000, () => driftOf('Secret')?.status === 'drifted');
    expect(driftOf('Secret')?.paths).toEqual(['data.password']);
    const told = JSON.stringify({ drifts, health, report: watch.report() });
    for (const value of Object.values(canary)) {
      expect(told).not.toContain(value);
      expect(told).not.toContain(Buffer.from(value).toString('base64'));
    }
  });

  it('a deleted member is deleted', async () => {
    kubectl(['delete', 'configmap', 'settings', '-n', NS.drift]);
    await until('the delete to be flagged', 10_000, () => driftOf('ConfigMap')?.status === 'deleted');
    expect(watch.report()).toMatchObject({ drifted: 3 });
  });
});
