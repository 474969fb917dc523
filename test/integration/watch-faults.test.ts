/**
 * The shared watch and drift against a real API server the test owns and abuses
 * (test/cluster/fault-apiserver.ts: its own kube-apiserver on the shared etcd, RBAC on, no
 * controllers, so the app is ConfigMaps and a Secret):
 * - a watch from a resourceVersion older than the server keeps is answered 410 Gone and lists again;
 * - frozen (SIGSTOP): the hub's probe gets no answer, the watches say `reconnecting`, and after
 *   SIGCONT they are `synced` again by themselves and see the next change;
 * - stopped (SIGKILL) and restarted: `reconnecting`, then `synced` by themselves;
 * - a drift made while the watches are away (after the restart, before they reconnect) is still
 *   reported when they do (the next try is held back with a long backoff, then asked for with
 *   retryNow, so the order is certain).
 * The shared cluster is never touched.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyPlan } from '../../core/apply/service.js';
import { watchApp, type AppWatch, type DriftWatchState, type ObjectDrift } from '../../core/engine/app-watch.js';
import { openRepository } from '../../core/git/repository.js';
import type { Repository } from '../../core/git/types.js';
import { openHistory, type History } from '../../core/history/history.js';
import { KubeClient } from '../../core/kube/client.js';
import { loadKubeconfig, type LoadedKubeconfig } from '../../core/kube/kubeconfig.js';
import { planApp } from '../../core/plan/service.js';
import { WatchHub, type WatchChange, type WatchHubOptions } from '../../core/watch/watcher.js';
import { startFaultApiServer, type FaultApiServer } from '../cluster/fault-apiserver.js';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner, type Kubectl } from '../support/kubectl.js';

const tools = inject('tools');
const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const NS = `watch-faults-${suffix}`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-watch-faults-'));
const cacheDir = join(tmp, 'trees');
const log = (m: string): void => console.error(`[watch-faults] ${m}`);

let api: FaultApiServer;
let kubeconfig: LoadedKubeconfig;
let kubectl: Kubectl;
let fixture: TestRepo;
let repo: Repository;
let history: History;
const watches: AppWatch[] = [];

const doc = (o: object): string => JSON.stringify(o, null, 2);
const configMap = (name: string): string => doc({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { x: 'as applied' } });

async function until(what: string, timeoutMs: number, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** An app watch on the fault-test API server that keeps every state and drift it was told. */
async function watchFaulty(hubOptions: WatchHubOptions): Promise<{ watch: AppWatch; states: DriftWatchState[]; drifts: ObjectDrift[] }> {
  const states: DriftWatchState[] = [];
  const drifts: ObjectDrift[] = [];
  const watch = await watchApp({ repo, selection: { app: 'faulty' }, kubeconfig, context: api.context, cacheDir, history, hubOptions, listener: { onState: (s) => states.push(s), onDrift: (d) => drifts.push(d) } });
  watches.push(watch);
  await until('every object to be compared', 30_000, () => watch.report().pending === 0);
  return { watch, states, drifts };
}

const phases = (w: AppWatch): string[] => w.report().watches.map((s) => s.state.phase);
const driftOf = (w: AppWatch, name: string): ObjectDrift | undefined => w.report().objects.find((d) => d.key.name === name);

beforeAll(async () => {
  api = await startFaultApiServer({ name: 'watchfaults', log });
  kubeconfig = loadKubeconfig({ path: api.kubeconfig });
  kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: api.kubeconfig });
  kubectl(['create', 'namespace', NS], { context: api.context });
  fixture = createTestRepo({ prefix: 'slipway-watch-faults-repo-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: faulty\n    path: apps/faulty\n    destination: {namespace: ${NS}}\n`,
    'apps/faulty/all.yaml': [configMap('frozen'), configMap('restarted'), configMap('meanwhile'), doc({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, type: 'Opaque', stringData: { password: 'not-a-real-one' } })].join('\n---\n'),
  });
  fixture.commit('the faulty app');
  repo = await openRepository(fixture.dir);
  history = openHistory({ path: join(tmp, 'history.db') });
  const plan = await planApp({ repo, rev: 'HEAD', selection: { app: 'faulty' }, kubeconfig, context: api.context, cacheDir });
  const outcome = await applyPlan({ plan, repo, kubeconfig, history, cacheDir, timeoutMs: 60_000 });
  expect(outcome.status).toBe('succeeded');
});

afterAll(async () => {
  await cleanUp([...watches.map((w) => () => w.close()), () => history?.close(), () => repo?.close(), () => fixture?.cleanup(), () => api?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('watching through faults of the API server', () => {
  it('a watch from a resourceVersion older than the server keeps: 410 Gone, a new list, and it goes on', async () => {
    const client = new KubeClient(kubeconfig, api.context);
    const hub = new WatchHub(client);
    try {
      const changes: WatchChange[] = [];
      const phasesSeen: string[] = [];
      const resource = await client.resourceFor({ group: '', version: 'v1', kind: 'ConfigMap' });
      // This API server's watch cache starts at the shared etcd's revision when it started: version 1 is long gone.
      const sub = hub.subscribe({ resource, namespace: NS }, { onChange: (c) => changes.push(c), onState: (s) => phasesSeen.push(s.phase) }, { from: { resourceVersion: '1', objects: [] } });
      await until('the watch to list again and sync', 30_000, () => sub.state().phase === 'synced');
      // (No controllers here: no kube-root-ca.crt.)
      expect(hub.list()[0]).toMatchObject({ lists: 1, objects: 3 });
      expect(changes.map((c) => `${c.type} ${c.object.metadata.name}`).sort()).toEqual(['ADDED frozen', 'ADDED meanwhile', 'ADDED restarted']);
      // Synced once, after the list: never on the version the server refused.
      expect(phasesSeen).toEqual(['connecting', 'synced']);
      kubectl(['annotate', 'configmap', 'frozen', '-n', NS, 'seen=yes'], { context: api.context });
      await until('the change after the new list', 10_000, () => changes.some((c) => c.type === 'MODIFIED' && c.object.metadata.name === 'frozen'));
      sub.close();
    } finally {
      hub.close();
      await client.close();
    }
  });

  it('frozen (SIGSTOP): reconnecting within seconds; after SIGCONT synced again by itself and the next drift is seen', async () => {
    const { watch, states } = await watchFaulty({ probeIntervalMs: 1000, probeTimeoutMs: 1000, backoff: { initialMs: 250, maxMs: 2000 } });
    expect(driftOf(watch, 'frozen')?.status).toBe('in-sync');
    const frozenAt = Date.now();
    api.pause();
    try {
      await until('the watches to say reconnecting', 15_000, () => phases(watch).every((p) => p === 'reconnecting'));
    } finally {
      api.resume();
    }
    log(`reconnecting ${Date.now() - frozenAt} ms after SIGSTOP: ${states.filter((s) => s.state.phase === 'reconnecting').map((s) => ('reason' in s.state ? s.state.reason : '')).at(0)}`);
    const resumedAt = Date.now();
    await until('the watches to be synced again', 30_000, () => phases(watch).every((p) => p === 'synced'));
    log(`synced ${Date.now() - resumedAt} ms after SIGCONT`);
    kubectl(['patch', 'configmap', 'frozen', '-n', NS, '-p', '{"data":{"x":"changed after the freeze"}}'], { context: api.context });
    await until('the drift after the freeze', 10_000, () => driftOf(watch, 'frozen')?.status === 'drifted');
    expect(driftOf(watch, 'frozen')?.paths).toEqual(['data.x']);
    await watch.close();
  });

  it('stopped (SIGKILL) and restarted: reconnecting, then synced again by itself', async () => {
    const { watch, states } = await watchFaulty({ probeIntervalMs: 1000, probeTimeoutMs: 1000, backoff: { initialMs: 250, maxMs: 2000 } });
    expect(driftOf(watch, 'restarted')?.status).toBe('in-sync');
    await api.stop('SIGKILL');
    await until('the watches to say reconnecting', 15_000, () => phases(watch).every((p) => p === 'reconnecting'));
    const reason = states.find((s) => s.state.phase === 'reconnecting')!.state;
    expect(reason).toMatchObject({ phase: 'reconnecting', reason: expect.stringContaining(api.context) });
    await api.restart();
    const restartedAt = Date.now();
    await until('the watches to be synced again', 30_000, () => phases(watch).every((p) => p === 'synced'));
    log(`synced ${Date.now() - restartedAt} ms after the restart was ready`);
    kubectl(['patch', 'configmap', 'restarted', '-n', NS, '-p', '{"data":{"x":"changed after the restart"}}'], { context: api.context });
    await until('the drift after the restart', 10_000, () => driftOf(watch, 'restarted')?.status === 'drifted');
    await watch.close();
  });

  it('a drift made while the watches are away is reported when they are back', async () => {
    // No probe, and a backoff far longer than the test: the watches come back only when told to.
    const { watch, drifts } = await watchFaulty({ probeIntervalMs: 0, backoff: { initialMs: 300_000, maxMs: 300_000 } });
    expect([driftOf(watch, 'meanwhile')?.status, driftOf(watch, 'db')?.status]).toEqual(['in-sync', 'in-sync']);
    const before = drifts.length;
    await api.stop('SIGKILL');
    await until('the watches to say reconnecting', 15_000, () => phases(watch).every((p) => p === 'reconnecting'));
    await api.restart();
    kubectl(['patch', 'configmap', 'meanwhile', '-n', NS, '-p', '{"data":{"x":"changed while nobody watched"}}'], { context: api.context });
    kubectl(['delete', 'secret', 'db', '-n', NS], { context: api.context });
    // Made while the watches were away: they still say so, and nothing was reported yet.
    expect(phases(watch).every((p) => p === 'reconnecting')).toBe(true);
    expect(drifts.slice(before)).toEqual([]);
    watch.hub.retryNow();
    await until('the drift made meanwhile to be reported', 30_000, () => driftOf(watch, 'meanwhile')?.status === 'drifted' && driftOf(watch, 'db')?.status === 'deleted');
    expect(phases(watch).every((p) => p === 'synced')).toBe(true);
    expect(driftOf(watch, 'meanwhile')?.paths).toEqual(['data.x']);
    await watch.close();
  });
});
