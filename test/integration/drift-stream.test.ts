/**
 * Drift for the UI through the contract against the real local cluster (core/api/drift-streams.ts):
 * - watchDrift of an app never applied to the context answers a `not-applied` report, no error;
 * - the app applied through the same engine (plan, apply): its stream says `applying` while the
 *   apply runs, then watches what the apply left, every object in sync;
 * - `kubectl scale` of its Deployment → a `drift` event naming spec.replicas within 2 s (timed),
 *   never a Secret's value; stopDrift ends the stream with `drift-ended`;
 * - the live tree and the drift check of one app on one context share the context's hub: one
 *   watch of the app's Deployments with two subscribers (core/engine/watch-hubs.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DriftReportInfo, EngineEvent } from '../../core/api/contract.js';
import { dispatchCommand } from '../../core/api/dispatch.js';
import { createHandlers, type EngineHandlers } from '../../core/api/handlers.js';
import { watchApp } from '../../core/engine/app-watch.js';
import { watchLiveTreeOf } from '../../core/engine/live-tree.js';
import { WatchHubs } from '../../core/engine/watch-hubs.js';
import { openRepository } from '../../core/git/repository.js';
import { openHistory } from '../../core/history/history.js';
import { loadKubeconfig } from '../../core/kube/kubeconfig.js';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const NS = `drift-ui-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const CANARY = `drift-canary-${randomBytes(6).toString('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-drift-ui-'));
const history = join(tmp, 'history.db');
let fixture: TestRepo;
let engine: EngineHandlers;
let repoId: string;
const events: EngineEvent[] = [];
let unsubscribe = (): void => undefined;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function call<T>(command: Parameters<typeof dispatchCommand>[1], request: unknown): Promise<T> {
  const reply = await dispatchCommand(engine, command, request);
  if (!reply.ok) throw new Error(`${command}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as T;
}

/** The reports of a stream, in order. */
const reports = (streamId: string): DriftReportInfo[] => events.flatMap((e) => (e.type === 'drift' && e.streamId === streamId ? [e.report] : []));

async function until<T>(what: string, timeoutMs: number, found: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = found();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; events: ${JSON.stringify(events.slice(-5))}`);
    await sleep(20);
  }
}

beforeAll(async () => {
  kubectl(['create', 'namespace', NS]);
  fixture = createTestRepo({ prefix: 'slipway-drift-ui-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: web\n    path: apps/web\n    destination: {namespace: ${NS}}\n`,
    'apps/web/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27.0}]
`,
    'apps/web/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {LOG_LEVEL: info}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
type: Opaque
stringData: {token: ${CANARY}}
`,
  });
  fixture.commit('web');
  engine = createHandlers({ transport: 'memory', historyPath: history, settingsPath: join(tmp, 'settings.json'), treesDir: join(tmp, 'trees'), env: { HOME: tmp, KUBECONFIG: kubeconfigPath } });
  unsubscribe = engine.events.subscribe((e) => events.push(e));
  repoId = (await call<{ id: string }>('openRepository', { path: fixture.dir })).id;
});

afterAll(async () => {
  await cleanUp([() => unsubscribe(), () => engine?.close(), () => kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']), () => fixture?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('the drift stream of the UI', () => {
  it('says an app never applied to the context is not applied, then watches it from its first apply', async () => {
    const started = await call<{ streamId: string; report: DriftReportInfo }>('watchDrift', { streamId: 'drift-1', repoId, app: 'web', context: 'slipway-admin' });
    expect(started.report).toMatchObject({ app: { name: 'web', path: 'apps/web' }, context: 'slipway-admin', state: 'not-applied', message: expect.stringContaining('the history has no apply of web'), objects: [] });

    const plan = await call<{ id: string }>('plan', { repoId, rev: 'HEAD', app: 'web', context: 'slipway-admin' });
    const { runId } = await call<{ runId: string }>('apply', { planId: plan.id });
    await until('the apply to finish', 120_000, () => events.find((e) => e.type === 'apply-finished' && e.runId === runId));
    expect(events.find((e) => e.type === 'apply-finished' && e.runId === runId)).toMatchObject({ status: 'succeeded' });
    // Held while the apply ran, then watching what it left.
    const synced = await until('every object compared as applied', 30_000, () => reports('drift-1').find((r) => r.state === 'watching' && r.pending === 0 && r.objects.length === 3));
    expect(reports('drift-1').map((r) => r.state)).toContain('applying');
    expect(synced.objects.map((o) => `${o.key.kind} ${o.status}`).sort()).toEqual(['ConfigMap in-sync', 'Deployment in-sync', 'Secret in-sync']);
    expect(synced.objects.every((o) => o.applied.runId === runId)).toBe(true);
    expect(synced.watches.every((w) => w.phase === 'synced')).toBe(true);
  });

  it('kubectl scale is a drift event naming spec.replicas within 2 s; stopDrift ends the stream', async () => {
    const before = reports('drift-1').length;
    kubectl(['scale', 'deployment', 'web', '-n', NS, '--replicas=3']);
    const t0 = Date.now();
    const drifted = await until('the drift event', 10_000, () => reports('drift-1').slice(before).find((r) => r.drifted > 0));
    const ms = Date.now() - t0;
    console.error(`[drift-stream] drift event ${ms} ms after kubectl scale returned`);
    expect(ms).toBeLessThanOrEqual(2000);
    expect(drifted.objects.find((o) => o.key.kind === 'Deployment')).toMatchObject({ status: 'drifted', paths: ['spec.replicas'], key: { namespace: NS, name: 'web' } });
    expect(drifted.drifted).toBe(1);

    kubectl(['patch', 'secret', 'creds', '-n', NS, '-p', JSON.stringify({ stringData: { token: `${CANARY}-changed` } })]);
    const secret = await until('the Secret drift', 10_000, () => reports('drift-1').find((r) => r.objects.some((o) => o.key.kind === 'Secret' && o.status === 'drifted')));
    expect(secret.objects.find((o) => o.key.kind === 'Secret')?.paths).toEqual(['data.token']);

    expect(await call('stopDrift', { streamId: 'drift-1' })).toEqual({ stopped: true });
    await until('the stream to end', 5000, () => events.find((e) => e.type === 'drift-ended' && e.streamId === 'drift-1'));
    expect(events.filter((e) => 'streamId' in e && e.streamId === 'drift-1').at(-1)).toEqual({ type: 'drift-ended', streamId: 'drift-1', reason: 'stopped' });
    expect(await call('stopDrift', { streamId: 'drift-1' })).toEqual({ stopped: false });
    const told = JSON.stringify(events);
    expect(told).not.toContain(CANARY);
    expect(told).not.toContain(Buffer.from(CANARY).toString('base64'));
  });

  it('shares one watch per kind and namespace between the live tree and the drift check of a context', async () => {
    const hubs = new WatchHubs();
    const repo = await openRepository(fixture.dir);
    const h = openHistory({ path: history });
    const kubeconfig = loadKubeconfig({ path: kubeconfigPath });
    const common = { repo, repoLabel: fixture.dir, selection: { app: 'web' }, kubeconfig, context: 'slipway-admin', cacheDir: join(tmp, 'trees'), hubs };
    const drift = await watchApp({ ...common, history: h });
    const tree = await watchLiveTreeOf({ ...common, lastApply: h, onTree: () => undefined });
    try {
      await until('both to be synced', 30_000, () => (drift.report().pending === 0 && tree.states().every((s) => s.state.phase === 'synced') ? true : undefined));
      const shared = hubs.list();
      expect(shared).toHaveLength(1);
      expect(shared[0]!.leases).toBe(2);
      const deployments = shared[0]!.watches.filter((w) => w.key === `apps/v1/deployments@${NS}`);
      expect(deployments).toEqual([expect.objectContaining({ subscribers: 2, lists: 1 })]);
      // The drift check compares Secrets; the live tree never watches them.
      expect(shared[0]!.watches.find((w) => w.key === `v1/secrets@${NS}`)).toMatchObject({ subscribers: 1 });
    } finally {
      await drift.close();
      await tree.close();
      h.close();
      await repo.close();
    }
    expect(hubs.list()).toEqual([]);
  });
});
